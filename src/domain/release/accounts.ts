/**
 * The accounts of a release: one record per account in a persistent bucket table, and the
 * counts per wave and outcome kept up to date with every change, so neither a transition nor
 * the wave table has to walk thousands of accounts.
 */
import type { DeploymentOutcome } from '../deployment/swap';
import type { ReconcileAction } from './reconcile';
import { buildTable, lookup, mapRecords, records, replace, hasKey, type BucketTable } from './bucket-table';
import type { Wave } from './waves';

export type AccountState = 'pending' | 'deploying' | 'done';
/** promoted: runs the attempted version; reverted: put back to its previous version by an abort with rollback. */
export type AccountOutcome = DeploymentOutcome | 'cancelled' | 'reverted' | 'not-released';

export interface AccountStatus {
  wave: Wave;
  state: AccountState;
  /** The version the account runs as far as this release knows; null until its first deployment answers. */
  version: string | null;
  /** The version the account ran before this release (what an abort with rollback returns it to). */
  previous?: string | null;
  /** The version of the account's latest deployment in this release. */
  attempted?: string;
  outcome?: AccountOutcome;
  reason?: string;
  /** Set once an abort with rollback has reconciled the account with the fleet (see reconcile.ts). */
  reconciled?: ReconcileAction;
  /** On-call left it out of this release (skipAccount): no wave swaps it. */
  skipped?: true;
}

export type OutcomeCounts = Record<AccountState | AccountOutcome, number> & { total: number };
export interface WaveCounts {
  /** Internal accounts (pre-release validation); all zero in releases without them. */
  wave0: OutcomeCounts;
  wave1: OutcomeCounts;
  wave2: OutcomeCounts;
}

export interface ReleaseAccounts {
  table: BucketTable<AccountStatus>;
  counts: WaveCounts;
}

const waveKey = (wave: Wave) => (wave === 0 ? 'wave0' : wave === 1 ? 'wave1' : 'wave2');

function emptyCounts(): OutcomeCounts {
  return {
    total: 0,
    pending: 0,
    deploying: 0,
    done: 0,
    promoted: 0,
    'rolled-back': 0,
    failed: 0,
    cancelled: 0,
    reverted: 0,
    'not-released': 0,
  };
}

/** Adds (+1) or removes (-1) one account's share of its wave's counts, in place on a fresh copy. */
function tally(counts: OutcomeCounts, account: AccountStatus, sign: 1 | -1): void {
  counts.total += sign;
  counts[account.state] += sign;
  if (account.state === 'done' && account.outcome) counts[account.outcome] += sign;
}

/** Counts from scratch: for a table read from elsewhere, and to check the running counts in tests. */
export function countAccounts(table: BucketTable<AccountStatus>): WaveCounts {
  const counts: WaveCounts = { wave0: emptyCounts(), wave1: emptyCounts(), wave2: emptyCounts() };
  for (const [, account] of records(table)) tally(counts[waveKey(account.wave)], account, 1);
  return counts;
}

export function planAccounts(plan: ReadonlyArray<{ accountId: string; wave: Wave }>): ReleaseAccounts {
  const table = buildTable<AccountStatus>(
    plan.map(({ accountId, wave }) => [accountId, { wave, state: 'pending', version: null }] as const),
  );
  return { table, counts: countAccounts(table) };
}

export function noAccounts(): ReleaseAccounts {
  return planAccounts([]);
}

export function accountOf(accounts: ReleaseAccounts, accountId: string): AccountStatus {
  const account = lookup(accounts.table, accountId);
  if (!account) throw new RangeError(`account ${accountId} is not in this release`);
  return account;
}

export function isInRelease(accounts: ReleaseAccounts, accountId: string): boolean {
  return hasKey(accounts.table, accountId);
}

/** The accounts with one record replaced; costs one bucket, whatever the size of the release. */
export function withAccount(accounts: ReleaseAccounts, accountId: string, next: AccountStatus): ReleaseAccounts {
  const current = accountOf(accounts, accountId);
  if (next.wave !== current.wave) throw new RangeError(`account ${accountId} stays in wave ${current.wave}`);
  const key = waveKey(current.wave);
  const counts = { ...accounts.counts, [key]: { ...accounts.counts[key] } };
  tally(counts[key], current, -1);
  tally(counts[key], next, 1);
  return { table: replace(accounts.table, accountId, next), counts };
}

/** Every account still pending is done without a deployment; returns how many. */
export function markNotReleased(
  accounts: ReleaseAccounts,
  reason: string,
): { accounts: ReleaseAccounts; count: number } {
  let count = 0;
  const table = mapRecords(accounts.table, (account): AccountStatus => {
    if (account.state !== 'pending') return account;
    count++;
    return { ...account, state: 'done', outcome: 'not-released', reason };
  });
  return { accounts: count ? { table, counts: countAccounts(table) } : accounts, count };
}

/** Accounts of a wave that still need `target`: never attempted at it, and not deploying now. */
export function accountsToDeploy(accounts: ReleaseAccounts, wave: Wave, target: string): string[] {
  const ids: string[] = [];
  for (const [accountId, account] of records(accounts.table)) {
    if (account.wave === wave && account.state !== 'deploying' && account.attempted !== target && !account.skipped)
      ids.push(accountId);
  }
  return ids;
}

/** Accounts of a wave whose deployment of `target` rolled back or failed. */
export function waveFailures(accounts: ReleaseAccounts, wave: Wave, target: string): string[] {
  const ids: string[] = [];
  for (const [accountId, account] of records(accounts.table)) {
    if (
      account.wave === wave &&
      account.attempted === target &&
      (account.outcome === 'rolled-back' || account.outcome === 'failed')
    )
      ids.push(accountId);
  }
  return ids;
}

/** What an abort with rollback deployed before reconciliation existed (releases that replay so): every promoted account, back to the version it ran before. */
export function accountsToRevert(accounts: ReleaseAccounts): Array<{ accountId: string; version: string }> {
  const swaps: Array<{ accountId: string; version: string }> = [];
  for (const [accountId, account] of records(accounts.table)) {
    if (account.outcome === 'promoted' && account.previous && account.version !== account.previous)
      swaps.push({ accountId, version: account.previous });
  }
  return swaps;
}

/** Plain id → record, in plan order: the shape the `status` query answers. */
export function accountsRecord(accounts: ReleaseAccounts): Record<string, AccountStatus> {
  const out: Record<string, AccountStatus> = {};
  for (const [accountId, account] of records(accounts.table)) out[accountId] = account;
  return out;
}
