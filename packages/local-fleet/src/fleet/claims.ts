import type { AccountClaim, ClaimHolder } from '../model';
import type { Accounts } from './accounts';

export interface ClaimAnswer {
  granted: boolean;
  claim: AccountClaim;
  /** The holder whose claim was taken over. */
  tookOverFrom?: ClaimHolder;
}

const same = (a: ClaimHolder, b: ClaimHolder | undefined): boolean =>
  b !== undefined && a.workflowId === b.workflowId && a.runId === b.runId;

/**
 * Who may change an account now: at most one swap holds its claim. Claiming is compare-and-set and
 * idempotent for the holder; a claim whose holder has ended is taken over by naming that holder,
 * so two swaps that both find it stale cannot both win. Claims live as long as the daemon.
 */
export class AccountClaims {
  private readonly held = new Map<string, { holder: ClaimHolder; since: string }>();

  constructor(private readonly accounts: Accounts) {}

  get(accountId: string): AccountClaim {
    this.accounts.get(accountId);
    const claim = this.held.get(accountId);
    return claim ? { accountId, holder: { ...claim.holder }, since: claim.since } : { accountId, holder: null };
  }

  /** Granted when the account is free, already held by `holder`, or held by `replaces`. */
  claim(accountId: string, holder: ClaimHolder, replaces?: ClaimHolder): ClaimAnswer {
    this.accounts.get(accountId);
    const current = this.held.get(accountId);
    if (current && same(holder, current.holder)) return { granted: true, claim: this.get(accountId) };
    if (current && !same(current.holder, replaces)) return { granted: false, claim: this.get(accountId) };
    this.held.set(accountId, { holder: { ...holder }, since: new Date().toISOString() });
    return { granted: true, claim: this.get(accountId), ...(current ? { tookOverFrom: current.holder } : {}) };
  }

  /** Frees the account if `holder` holds it; anything else changes nothing. */
  release(accountId: string, holder: ClaimHolder): { released: boolean; claim: AccountClaim } {
    this.accounts.get(accountId);
    const current = this.held.get(accountId);
    const released = current !== undefined && same(holder, current.holder);
    if (released) this.held.delete(accountId);
    return { released, claim: this.get(accountId) };
  }

  forget(accountId: string): void {
    this.held.delete(accountId);
  }
}
