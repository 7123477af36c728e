/**
 * Reconciliation before an abort with rollback: an account whose swap ended without a result or
 * half-way (terminated, failed as a workflow, cancelled, rollback incomplete) is recorded failed or
 * cancelled, which says nothing about what it serves. Its actual state is read from the fleet (the
 * swap's leftovers outside the pool are removed meanwhile), and this decides what to do with it.
 */
import { deploymentWorkflowId } from '../deployment/swap';
import { records } from './bucket-table';
import { accountOf, withAccount, type AccountStatus, type ReleaseAccounts } from './accounts';
import { emit, REASON_LIMIT, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';

/**
 * revert: it serves a version of this release, back to `previous`. reverting: its revert swap has
 * started (its outcome says how it went). unknown-previous: it serves a version of this release,
 * and the version it ran before is not known. cleaned / in-order: it is not on this release's
 * version, with or without leftovers removed. no-pool: it serves nothing. busy: its swap runs
 * again (reset). unreadable: the fleet could not say.
 */
export type ReconcileAction =
  'revert' | 'reverting' | 'unknown-previous' | 'cleaned' | 'in-order' | 'no-pool' | 'busy' | 'unreadable';
export const RECONCILE_ACTIONS = [
  'revert',
  'reverting',
  'unknown-previous',
  'cleaned',
  'in-order',
  'no-pool',
  'busy',
  'unreadable',
] as const satisfies readonly ReconcileAction[];

/** What the reconcile activity is asked about one account. */
export interface ReconcileTarget {
  accountId: string;
  /** The version its latest swap went to. */
  version: string;
  /** That swap's workflow id: its leftovers are what it provisioned or named as green or blue. */
  swapWorkflowId: string;
}

/** What the reconcile activity found (and removed). */
export interface AccountFindings {
  /** The version of the account's request pool now; null when the pool is empty. */
  serving: string | null;
  /** The swap's own record of the version before it (its `status` query), when it could be read. */
  swapFrom?: string | null;
  /** The swap runs again (for example after a reset): nothing was touched. */
  swapRunning: boolean;
  /** The swap's instances outside the pool that were removed. */
  removed: string[];
}

/** Accounts to reconcile: their latest swap ended failed or cancelled, and they were not reconciled yet. */
export function accountsToReconcile(accounts: ReleaseAccounts, releaseId: string): ReconcileTarget[] {
  const targets: ReconcileTarget[] = [];
  for (const [accountId, account] of records(accounts.table)) {
    const ended = account.outcome === 'failed' || account.outcome === 'cancelled';
    if (account.state === 'done' && ended && account.attempted && !account.reconciled)
      targets.push({
        accountId,
        version: account.attempted,
        swapWorkflowId: deploymentWorkflowId(accountId, account.attempted, releaseId),
      });
  }
  return targets;
}

/** What an abort with rollback deploys: every promoted account and every reconciled one that serves this release, back to the version it ran before. */
export function accountsToRestore(accounts: ReleaseAccounts): Array<{ accountId: string; version: string }> {
  const swaps: Array<{ accountId: string; version: string }> = [];
  for (const [accountId, account] of records(accounts.table)) {
    const due = account.outcome === 'promoted' || account.reconciled === 'revert';
    if (due && account.previous && account.version !== account.previous)
      swaps.push({ accountId, version: account.previous });
  }
  return swaps;
}

function judge(
  account: AccountStatus,
  found: AccountFindings | undefined,
): { action: ReconcileAction; previous?: string | null } {
  if (!found) return { action: 'unreadable' };
  if (found.swapRunning) return { action: 'busy' };
  if (found.serving === null) return { action: 'no-pool' };
  const previous = account.previous !== undefined ? account.previous : found.swapFrom;
  // The release's versions on this account: the one its latest swap went to, and one promoted before it.
  const earlier = account.version !== null && account.version !== previous ? account.version : undefined;
  const servesRelease = found.serving === account.attempted || found.serving === earlier;
  if (!servesRelease || found.serving === previous)
    return { action: found.removed.length ? 'cleaned' : 'in-order', previous };
  return previous ? { action: 'revert', previous } : { action: 'unknown-previous', previous };
}

function describe(
  action: ReconcileAction,
  found: AccountFindings | undefined,
  previous: string | null | undefined,
  problem?: string,
): string {
  const removed = found?.removed.length ? `; removed ${found.removed.length} leftover instance(s) of its swap` : '';
  switch (action) {
    case 'revert':
      return `serves ${found?.serving}: revert to ${previous}${removed}`;
    case 'unknown-previous':
      return `serves ${found?.serving}, and the version it ran before is unknown: not reverted; deploy it back by hand${removed}`;
    case 'cleaned':
    case 'in-order':
      return `on ${found?.serving}${removed || '; nothing left over'}`;
    case 'no-pool':
      return `serves nothing (empty pool); not reverted${removed}`;
    case 'busy':
      return 'its swap runs again; nothing touched';
    case 'unreadable':
    case 'reverting':
      return `could not be read: ${problem ?? 'no answer'}; not reverted`;
  }
}

/** Records what reconciling one account found and decided; `problem` when the fleet could not be read. */
export function accountReconciled(
  status: ReleaseStatus,
  input: { accountId: string; findings?: AccountFindings; problem?: string },
  now: number,
): Transition {
  const { accountId, findings } = input;
  const account = accountOf(status.accounts, accountId);
  const { action, previous } = judge(account, findings);
  const detail = describe(action, findings, previous, input.problem);
  const next: AccountStatus = {
    ...account,
    ...(findings && !findings.swapRunning ? { version: findings.serving } : {}),
    ...(previous !== undefined && account.previous === undefined ? { previous } : {}),
    reconciled: action,
    reason: clip(`reconciled: ${detail} (${account.reason ?? account.outcome})`, REASON_LIMIT),
  };
  return emit(status, { accounts: withAccount(status.accounts, accountId, next) }, now, [
    {
      type: 'account-reconciled',
      accountId,
      wave: account.wave,
      action,
      serving: findings?.serving ?? null,
      removed: findings?.removed.length ?? 0,
      detail,
    },
  ]);
}
