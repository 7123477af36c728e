/** Wave planning and the failure budget: which account goes in which wave, and when a wave halts. */

export type Wave = 1 | 2;

/** What the release needs from the fleet's account registry. */
export interface RegistryAccount {
  accountId: string;
  earlyAccess: boolean;
}

export interface WavePlan {
  /** Account id → wave, in registry order. */
  accounts: Array<{ accountId: string; wave: Wave }>;
  /** Requested ids the registry does not know. */
  unknown: string[];
}

/** Early-access accounts are wave 1, every other one wave 2. `requested` narrows the release to those ids. */
export function planWaves(registry: RegistryAccount[], requested?: string[]): WavePlan {
  const byId = new Map(registry.map((account) => [account.accountId, account]));
  const ids = requested ? [...new Set(requested)] : registry.map((account) => account.accountId);
  const unknown = ids.filter((id) => !byId.has(id));
  const accounts = ids
    .filter((id) => byId.has(id))
    .map((accountId) => ({ accountId, wave: (byId.get(accountId)!.earlyAccess ? 1 : 2) as Wave }));
  return { accounts, unknown };
}

/** A wave halts once more accounts than its budget rolled back or failed. */
export function budgetExceeded(failures: number, budget: number): boolean {
  return failures > budget;
}

export function waveBudget(strategy: { failureBudget: { wave1: number; wave2: number } }, wave: Wave): number {
  return wave === 1 ? strategy.failureBudget.wave1 : strategy.failureBudget.wave2;
}

export function waveConcurrency(strategy: { concurrency: { wave1: number; wave2: number } }, wave: Wave): number {
  return wave === 1 ? strategy.concurrency.wave1 : strategy.concurrency.wave2;
}
