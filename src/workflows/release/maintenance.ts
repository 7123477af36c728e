/**
 * A major release runs each account's swap inside its maintenance window, announced ahead (see
 * src/domain/release/maintenance.ts). The registry is read again while the wave waits, so a window
 * added or moved before it starts is picked up (and announced again). Releases recorded before, and
 * every minor release, take the plain rollout.
 */
import { patched } from '@temporalio/workflow';
import { accountsToDeploy } from '../../domain/release/accounts';
import { announceWindows, majorSwapNotBefore } from '../../domain/release/maintenance';
import type { RegistryAccount, Wave } from '../../domain/release/waves';
import { readRegistry } from './registry';
import type { ReleaseRun } from './release-run';

export const MAINTENANCE_WINDOWS_PATCH = 'major-maintenance-windows';
/** While accounts wait for their windows, the registry is read again at least this often. */
const REREAD_MS = 6 * 60 * 60_000;

export function usesMaintenanceWindows(run: ReleaseRun): boolean {
  return run.params.kind === 'major' && patched(MAINTENANCE_WINDOWS_PATCH);
}

/** Announces the windows of the release's accounts (new or moved ones; the lead time counts from now). */
export async function announceMaintenance(run: ReleaseRun, registry?: RegistryAccount[]): Promise<void> {
  const read = registry ?? (await readRegistry(run));
  const byId = new Map(read.map((account) => [account.accountId, account]));
  const accounts = run.status.accounts.table.keys.map((accountId) => ({
    accountId,
    ...(byId.get(accountId)?.maintenanceWindow ? { window: byId.get(accountId)!.maintenanceWindow } : {}),
  }));
  const leadMs = run.params.strategy.announceAhead;
  run.apply((status, now) => announceWindows(status, { accounts, leadMs }, now));
}

/**
 * The wave's accounts, each once its window is open and announced long enough: those ready now
 * are deployed together; then the wave waits for the next window (a timer that names it). Accounts
 * with no usable window stay pending ("needs window"). 'stopped' when the wave may not go on.
 */
export async function rolloutInWindows(
  run: ReleaseRun,
  wave: Wave,
  deploy: (accountIds: string[]) => Promise<'done' | 'stopped'>,
): Promise<'done' | 'stopped'> {
  for (;;) {
    await announceMaintenance(run);
    const now = Date.now();
    const ready: string[] = [];
    let next: { accountId: string; at: number } | undefined;
    for (const accountId of accountsToDeploy(run.status.accounts, wave, run.status.targetVersion)) {
      const at = majorSwapNotBefore(run.status, accountId, now);
      if (at === undefined) continue;
      if (at <= now) ready.push(accountId);
      else if (!next || at < next.at) next = { accountId, at };
    }
    if (ready.length) {
      if ((await deploy(ready)) === 'stopped') return 'stopped';
      continue;
    }
    if (!next) return 'done';
    const summary = `maintenance window of ${next.accountId}: its upgrade starts at ${new Date(next.at).toISOString()}`;
    await run.wait(() => !run.waveMayGoOn(wave), Math.min(next.at - now, REREAD_MS), summary);
    if (!run.waveMayGoOn(wave)) return 'stopped';
  }
}
