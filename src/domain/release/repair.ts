/**
 * On-call repair of one account of a running or held release: retry its swap, skip it, or roll it
 * back. The checks an update's validator runs (clear words when the account cannot take the
 * action now) and the transition of each; the workflow starts the swap a retry or rollback needs.
 */
import { accountOf, isInRelease, withAccount, type AccountStatus } from './accounts';
import type { Via } from './events';
import type { AccountRepairName } from './input';
import { emit, REASON_LIMIT, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';

export interface AccountRepair {
  name: AccountRepairName;
  accountId: string;
  reason: string;
}

/** What the workflow does after the transition: swap the account now (to `version`), or nothing (its wave will). */
export type RepairSwap = { accountId: string; version: string; revert: boolean } | undefined;

/** Why the account cannot take the action now; undefined when it can. */
export function repairRefusal(status: ReleaseStatus, repair: AccountRepair): string | undefined {
  const { name, accountId } = repair;
  if (!isInRelease(status.accounts, accountId))
    return `${name}: ${accountId} is not in release ${status.releaseId}; give one of its accounts (see the accounts query)`;
  const account = accountOf(status.accounts, accountId);
  if (account.state === 'deploying')
    return `${name}: ${accountId} is being swapped now; wait for its swap to end (one swap per account at a time)`;
  switch (name) {
    case 'retryAccount':
      if (account.state === 'pending')
        return `retryAccount: ${accountId} has not been swapped in this release yet; its wave will swap it`;
      if (account.outcome === 'promoted' && account.attempted === status.targetVersion)
        return `retryAccount: ${accountId} is already promoted on ${status.targetVersion}; nothing to retry`;
      return undefined;
    case 'skipAccount':
      if (account.skipped) return `skipAccount: ${accountId} is already left out of this release (${account.reason})`;
      if (account.outcome === 'promoted')
        return `skipAccount: ${accountId} already runs ${account.version}; send rollbackAccount to put it back`;
      return undefined;
    case 'rollbackAccount':
      if (account.outcome !== 'promoted')
        return `rollbackAccount: ${accountId} is not promoted in this release (${account.outcome ?? account.state}); nothing to roll back`;
      if (!account.previous || account.previous === account.version)
        return `rollbackAccount: the version ${accountId} ran before this release is not known; nothing to go back to`;
      return undefined;
  }
}

/**
 * The transition of an accepted repair and the swap it needs. A retry of an account whose wave has
 * not reached it again (it was skipped before its swap) just puts it back in line.
 */
export function applyRepair(
  status: ReleaseStatus,
  repair: AccountRepair,
  now: number,
  via: Via,
): { transition: Transition; swap: RepairSwap } {
  const { accountId, reason } = repair;
  const account = accountOf(status.accounts, accountId);
  const change = (next: AccountStatus) => ({ accounts: withAccount(status.accounts, accountId, next) });
  switch (repair.name) {
    case 'retryAccount': {
      const swapNow = account.attempted !== undefined;
      const next: AccountStatus = { ...account, outcome: undefined, reason: undefined, skipped: undefined };
      const transition = emit(
        status,
        change(swapNow ? { ...next, state: 'done' } : { ...next, state: 'pending' }),
        now,
        [{ type: 'account-retried', accountId, wave: account.wave, version: status.targetVersion, reason, via }],
      );
      return { transition, swap: swapNow ? { accountId, version: status.targetVersion, revert: false } : undefined };
    }
    case 'skipAccount': {
      const next: AccountStatus = {
        ...account,
        state: 'done',
        outcome: 'not-released',
        reason: clip(`skipped by on-call: ${reason}`, REASON_LIMIT),
        skipped: true,
      };
      const transition = emit(status, change(next), now, [
        { type: 'account-skipped', accountId, wave: account.wave, reason, via },
      ]);
      return { transition, swap: undefined };
    }
    case 'rollbackAccount': {
      const back = account.previous!;
      const transition = emit(status, {}, now, [
        { type: 'account-rollback-requested', accountId, wave: account.wave, version: back, reason, via },
      ]);
      return { transition, swap: { accountId, version: back, revert: true } };
    }
  }
}
