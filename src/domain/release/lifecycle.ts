/**
 * Transitions of the runbook itself: planned, stages and days, held and let go, the patch taking
 * over, the end (completed or aborted), and a new run. Each is `(status, input, now) → { status,
 * events }`.
 */
import { markNotReleased, planAccounts } from './accounts';
import type { ReleaseStage } from './input';
import { closeOpenIssues } from './issues';
import { andThen, emit, holdLiftedBy, unchanged, type ReleaseStatus, type Transition } from './status';
import type { Wave } from './waves';

/** The release learns its accounts and their waves; what messages changed while it planned is kept. */
export function planRelease(
  status: ReleaseStatus,
  plan: { accounts: ReadonlyArray<{ accountId: string; wave: Wave }> },
  now: number,
): Transition {
  const accounts = planAccounts(plan.accounts);
  return emit(status, { stage: 'scheduled', accounts }, now, [
    {
      type: 'planned',
      ...(accounts.counts.wave0.total ? { wave0: accounts.counts.wave0.total } : {}),
      wave1: accounts.counts.wave1.total,
      wave2: accounts.counts.wave2.total,
      startAt: status.schedule.startAt,
      stageLength: status.schedule.stageLength,
    },
  ]);
}

/** Moves to a stage; nothing happens when the release is already there. */
export function enterStage(
  status: ReleaseStatus,
  to: { stage: ReleaseStage; detail?: string },
  now: number,
): Transition {
  if (status.stage === to.stage) return unchanged(status);
  const holdReason = to.stage === 'held' ? status.holdReason : undefined;
  return emit(status, { stage: to.stage, holdReason }, now, [
    {
      type: 'stage-entered',
      stage: to.stage,
      from: status.stage,
      ...(to.detail === undefined ? {} : { detail: to.detail }),
    },
  ]);
}

export function enterDay(status: ReleaseStatus, day: 2 | 3, now: number): Transition {
  if (status.day === day) return unchanged(status);
  return emit(status, { day }, now, [{ type: 'day-changed', day }]);
}

/** Nothing moves until on-call gives a patch, resumes or aborts. */
export function holdRelease(status: ReleaseStatus, reason: string, now: number): Transition {
  return andThen(enterStage({ ...status, holdReason: reason }, { stage: 'held', detail: reason }, now), (held) =>
    emit(held, {}, now, [{ type: 'held', reason }]),
  );
}

/** The hold is over (see holdIsOver): by a patch to re-release, or by a resume. */
export function liftHold(status: ReleaseStatus, now: number): Transition {
  return emit(status, { holdReason: undefined }, now, [{ type: 'hold-lifted', by: holdLiftedBy(status) }]);
}

/** The pending patch becomes the target: open issues close, a halted wave may go on. */
export function applyPendingPatch(status: ReleaseStatus, now: number): Transition {
  const patch = status.pendingPatch;
  if (!patch) return unchanged(status);
  const patched = emit(status, { pendingPatch: undefined, targetVersion: patch.version, halt: undefined }, now, [
    { type: 'patch-applied', version: patch.version, previousTarget: status.targetVersion, reason: patch.reason },
  ]);
  return andThen(patched, (next) => closeOpenIssues(next, `patch ${patch.version}`, now));
}

export function completeRelease(status: ReleaseStatus, now: number): Transition {
  const { wave0, wave1, wave2 } = status.accounts.counts;
  const promoted = wave0.promoted + wave1.promoted + wave2.promoted;
  const total = wave0.total + wave1.total + wave2.total;
  const detail = `${promoted} of ${total} account(s) on ${status.targetVersion}; ${total - promoted} rolled back, failed or not released`;
  return andThen(enterStage({ ...status, finishedAt: now }, { stage: 'completed', detail }, now), (done) =>
    emit(done, {}, now, [{ type: 'completed', promoted, total }]),
  );
}

/** The end of an aborted release (after its rollback, if any): accounts that never got their turn are not released. */
export function finishAborted(status: ReleaseStatus, now: number): Transition {
  const abort = status.abort;
  if (!abort) throw new Error(`release ${status.releaseId} was not aborted`);
  const { accounts, count } = markNotReleased(
    status.accounts,
    `release aborted before this account's turn: ${abort.reason}`,
  );
  return andThen(
    enterStage({ ...status, accounts, finishedAt: now }, { stage: 'aborted', detail: abort.reason }, now),
    (ended) =>
      emit(ended, {}, now, [{ type: 'aborted', reason: abort.reason, rollback: abort.rollback, notReleased: count }]),
  );
}

/** The release goes on in a fresh workflow run (its history had grown long). */
export function continueInNewRun(status: ReleaseStatus, run: { historyLength: number }, now: number): Transition {
  const runs = status.runs + 1;
  return emit(status, { runs }, now, [{ type: 'continued-as-new', run: runs, historyLength: run.historyLength }]);
}
