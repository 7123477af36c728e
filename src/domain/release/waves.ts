/** Wave planning and the failure budget: which account goes in which wave, and when a wave halts. */

/** Wave 0: the internal accounts, the pre-release validation (see validation.ts); wave 1: early access; wave 2: the rest. */
export type Wave = 0 | 1 | 2;

/** What the release needs from the fleet's account registry. */
export interface RegistryAccount {
  accountId: string;
  earlyAccess: boolean;
  /** The platform's own account: validates every release first (wave 0). Absent in answers recorded before. */
  internal?: boolean;
  /** The announced maintenance window (epoch ms); only when the account has one (answers recorded before never do). */
  maintenanceWindow?: { start: number; end: number };
}

export interface WavePlan {
  /** Account id → wave, in registry order. */
  accounts: Array<{ accountId: string; wave: Wave }>;
  /** Requested ids the registry does not know. */
  unknown: string[];
}

/**
 * Internal accounts are wave 0 (when `waveZero`; otherwise they go by their early-access opt-in like
 * any other), early-access accounts wave 1, every other one wave 2. `requested` narrows the release to those ids.
 */
export function planWaves(registry: RegistryAccount[], requested?: string[], waveZero = false): WavePlan {
  const byId = new Map(registry.map((account) => [account.accountId, account]));
  const ids = requested ? [...new Set(requested)] : registry.map((account) => account.accountId);
  const unknown = ids.filter((id) => !byId.has(id));
  const accounts = ids
    .filter((id) => byId.has(id))
    .map((accountId) => ({ accountId, wave: waveOf(byId.get(accountId)!, waveZero) }));
  return { accounts, unknown };
}

function waveOf(account: RegistryAccount, waveZero: boolean): Wave {
  if (waveZero && account.internal) return 0;
  return account.earlyAccess ? 1 : 2;
}

/** A wave halts once more accounts than its budget rolled back or failed. */
export function budgetExceeded(failures: number, budget: number): boolean {
  return failures > budget;
}

/** Wave 0 has no budget: any internal account that rolls back or fails stops the release before Day 1. */
export function waveBudget(strategy: { failureBudget: { wave1: number; wave2: number } }, wave: Wave): number {
  if (wave === 0) return 0;
  return wave === 1 ? strategy.failureBudget.wave1 : strategy.failureBudget.wave2;
}

/** Wave 0 swaps one internal account at a time, each after its regression run. */
export function waveConcurrency(strategy: { concurrency: { wave1: number; wave2: number } }, wave: Wave): number {
  if (wave === 0) return 1;
  return wave === 1 ? strategy.concurrency.wave1 : strategy.concurrency.wave2;
}
