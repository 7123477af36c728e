import type { ReleaseKind } from '../primitives';
import type { AccountSnapshot } from './activities';
import type { SwapMode } from './swap';

export type PreflightVerdict =
  | { verdict: 'proceed' }
  /** Already at the version: an idempotent re-run, promoted at once. */
  | { verdict: 'done'; reason: string }
  /** The swap cannot start; nothing was touched. */
  | { verdict: 'refused'; reason: string };

/** Whether the swap may start on the account as it is now (epoch ms). */
export function judgePreflight(
  account: AccountSnapshot,
  swap: { version: string; kind: ReleaseKind; mode: SwapMode },
  now: number,
): PreflightVerdict {
  if (account.version === swap.version)
    return { verdict: 'done', reason: `already at version ${swap.version}; nothing to do` };
  if (account.versionKnown === false)
    return {
      verdict: 'refused',
      reason: `version ${swap.version} is not in the platform's version catalogue; nothing was touched`,
    };
  if (account.pool.length === 0)
    return {
      verdict: 'refused',
      reason: `account ${account.accountId} has no running instances: no blue to fall back to`,
    };
  // A revert needs no window: it runs no migration and never puts the account in maintenance.
  if (swap.kind !== 'major' || swap.mode === 'revert') return { verdict: 'proceed' };
  const window = account.maintenanceWindow;
  if (!window)
    return {
      verdict: 'refused',
      reason: `major upgrade of ${account.accountId} needs an announced maintenance window, and the account has none`,
    };
  if (Date.parse(window.end) <= now)
    return {
      verdict: 'refused',
      reason: `the maintenance window of ${account.accountId} (${window.start} to ${window.end}) has already ended`,
    };
  return { verdict: 'proceed' };
}
