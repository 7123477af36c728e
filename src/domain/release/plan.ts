/** The `plan` query of a running release: the plan preview (../plan/preview.ts) from its status. */
import { previewRelease, estimateSwapMs, type FreeMoment, type PlanAccount, type ReleasePlan } from '../plan/preview';
import { freeMomentsOf } from '../plan/freezes';
import type { Strategy } from '../strategy';
import { records } from './bucket-table';
import { waveConcurrency } from './waves';
import { isFinished, type ReleaseStatus } from './status';

export function planOfRelease(
  status: ReleaseStatus,
  strategy: Strategy,
  now: number,
  freeAt?: FreeMoment,
): ReleasePlan {
  const calendar = status.freeze?.calendar;
  if (!freeAt && calendar) {
    const overridden = new Set(status.freeze!.overrides.map((override) => override.freezeId));
    freeAt = freeMomentsOf(calendar, overridden);
  }
  const finished = isFinished(status);
  const target = status.targetVersion;
  const accounts: PlanAccount[] = [];
  for (const [accountId, account] of records(status.accounts.table)) {
    const doneAtTarget = account.state === 'done' && (account.attempted === target || finished);
    accounts.push({
      accountId,
      wave: account.wave,
      from: account.previous ?? account.version ?? null,
      state: account.state === 'deploying' ? 'deploying' : doneAtTarget ? 'done' : 'pending',
      ...(doneAtTarget && account.outcome ? { outcome: account.outcome } : {}),
      ...usableWindow(status, accountId),
    });
  }
  const waitingFor = status.paused
    ? `paused: ${status.pauseReason ?? ''}`
    : status.stage === 'held'
      ? (status.holdReason ?? 'held')
      : undefined;
  return previewRelease({
    releaseId: status.releaseId,
    version: target,
    kind: status.kind,
    schedule: status.schedule,
    concurrency: { 0: waveConcurrency(strategy, 0), 1: waveConcurrency(strategy, 1), 2: waveConcurrency(strategy, 2) },
    swapMs: estimateSwapMs(strategy),
    accounts,
    ...(freeAt ? { freeAt } : {}),
    windowsKnown: status.maintenance !== undefined,
    ...(status.lastWaveOneFinishedAt !== undefined ? { lastWaveOneFinishedAt: status.lastWaveOneFinishedAt } : {}),
    ...(waitingFor ? { waitingFor } : {}),
    now,
  });
}

/** The part of the account's announced window its major swap may use (after the announcement lead time). */
function usableWindow(status: ReleaseStatus, accountId: string): Pick<PlanAccount, 'maintenanceWindow'> {
  const maintenance = status.maintenance;
  const window = maintenance?.windows[accountId];
  if (!maintenance || !window || maintenance.needsWindow[accountId] !== undefined) return {};
  return {
    maintenanceWindow: { start: Math.max(window.start, window.announcedAt + maintenance.leadMs), end: window.end },
  };
}
