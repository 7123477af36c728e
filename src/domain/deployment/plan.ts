/** Which parts of the runbook a swap runs: an upgrade runs them all, a revert only what returning to a known version needs. */
import type { BlueGreenParams } from './swap';

/** A revert watches briefly: the previous version served the account until the release. */
export const REVERT_WATCH_MS = 10_000;

export interface SwapPlan {
  /** Compare green with blue; for a revert blue is the bad version, so it is no reference. */
  canary: boolean;
  /** A major upgrade's window, maintenance mode and migration; a revert runs no migration. */
  maintenance: boolean;
  watchMs: number;
  /** Keep blue warm after the watch; a revert's blue is the bad version, drained at once. */
  keepBlueWarm: boolean;
}

export function planSwap(params: Pick<BlueGreenParams, 'kind' | 'mode' | 'strategy'>): SwapPlan {
  const { watch } = params.strategy;
  if (params.mode === 'revert')
    return {
      canary: false,
      maintenance: false,
      watchMs: Math.min(watch.duration, REVERT_WATCH_MS),
      keepBlueWarm: false,
    };
  return { canary: true, maintenance: params.kind === 'major', watchMs: watch.duration, keepBlueWarm: true };
}
