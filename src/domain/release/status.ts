/**
 * The status of a release: what continue-as-new carries and what the `status` query shows (see
 * view.ts for the answer's shape). Times are epoch ms inside; ISO text only in the view. The
 * status is never changed in place: a transition (lifecycle.ts, messages.ts, deployments.ts)
 * returns a new status and the events it produced. Compact on purpose: a release may cover
 * thousands of accounts, and the whole object must stay far below Temporal's 2 MB payload limit.
 */
import type { ReleaseNotify } from '../notify/outbox';
import type { ReleaseKind } from '../primitives';
import type { DecisionLimits } from './limits';
import type { CompiledNotes } from './notes';
import type { MaintenanceState } from './maintenance';
import type { ReleaseFreezes } from './freezes';
import { noAccounts, type ReleaseAccounts } from './accounts';
import type { IssueSource, ReleaseEvent, ReleaseEventBody } from './events';
import type { ReleaseStage } from './input';
import { waveTwoNotBefore, type ReleaseSchedule } from './schedule';
import { appendTimeline, type Timeline } from './timeline';
import type { OwnStall, SwapStall } from './stalls';
import type { ValidationStatus } from './validation';
import type { Wave } from './waves';

export interface ReleaseIssue {
  id: number;
  source: IssueSource;
  summary: string;
  accounts?: string[];
  openedAt: number;
  closedAt?: number;
  closedBy?: string;
}

export interface ReleaseStatus {
  releaseId: string;
  /** The version the release was started with. */
  originalVersion: string;
  /** The version accounts get now: the original one, or the latest patch applied. */
  targetVersion: string;
  kind: ReleaseKind;
  notes: string[];
  stage: ReleaseStage;
  /** Which part of the runbook the release is in: Day 1 (wave 1 and bake), Day 2 (patch or hold), Day 3 (wave 2). */
  day: 1 | 2 | 3;
  paused: boolean;
  pauseReason?: string;
  /** Why the release is held (stage `held`). */
  holdReason?: string;
  /** A patch given by on-call and not yet re-released. */
  pendingPatch?: { version: string; reason: string; at: number };
  abort?: { reason: string; rollback: boolean; at: number };
  /** A wave stopped by its failure budget, until a patch or a resume. */
  halt?: { wave: Wave; reason: string };
  schedule: ReleaseSchedule;
  lastWaveOneFinishedAt?: number;
  issues: ReleaseIssue[];
  nextIssueId: number;
  /** Swaps that cannot make progress now (see stalls.ts); at most one per account. */
  stalls: SwapStall[];
  /** The open issue about stalled swaps: while set, no new swap starts. */
  faultIssueId?: number;
  /** The release's own step that cannot make progress (reading the account registry). */
  ownStall?: OwnStall;
  accounts: ReleaseAccounts;
  /** The pre-release validation on internal accounts (wave 0); absent in releases started before it existed. */
  validation?: ValidationStatus;
  timeline: Timeline;
  /** `seq` of the release's latest event; 0 before the first. */
  lastSeq: number;
  /** Workflow runs so far (continue-as-new keeps the history of each one small). */
  runs: number;
  /** The constants the release decides with, fixed when it started (see limits.ts); absent in releases started before. */
  limits?: DecisionLimits;
  /** The freeze calendar as last read, overrides, the freeze waited on; absent in releases started before freeze windows. */
  freeze?: ReleaseFreezes;
  /** Notifications on their way to the sinks (src/domain/notify); absent when the release notifies none. */
  notify?: ReleaseNotify;
  startedAt: number;
  finishedAt?: number;
  /** A major release's announced maintenance windows (maintenance.ts); absent in minor releases. */
  maintenance?: MaintenanceState;
  /** The compiled release notes (notes.ts); absent until compiled, and in releases started before. */
  releaseNotes?: CompiledNotes;
}

/** What every transition returns: the new status (the old one is untouched) and the events it produced. */
export interface Transition {
  status: ReleaseStatus;
  events: ReleaseEvent[];
}

/** Per-account reasons and issue summaries stay short: thousands of them live in the status. */
export const REASON_LIMIT = 160;

export interface NewRelease {
  releaseId: string;
  version: string;
  kind: ReleaseKind;
  notes: string[];
  schedule: ReleaseSchedule;
  now: number;
  /** Recorded in the status; omitted by runs that replay the code before the limits were kept. */
  limits?: DecisionLimits;
}

/** A release whose accounts are not known yet (stage `planning`); `planRelease` gives it its waves. */
export function newReleaseStatus(init: NewRelease): ReleaseStatus {
  return {
    releaseId: init.releaseId,
    originalVersion: init.version,
    targetVersion: init.version,
    kind: init.kind,
    notes: init.notes,
    stage: 'planning',
    day: 1,
    paused: false,
    schedule: { startAt: init.schedule.startAt, stageLength: init.schedule.stageLength },
    issues: [],
    nextIssueId: 1,
    stalls: [],
    accounts: noAccounts(),
    timeline: { entries: [], dropped: 0 },
    lastSeq: 0,
    runs: 1,
    ...(init.limits ? { limits: init.limits } : {}),
    startedAt: init.now,
  };
}

// ---- building transitions

/**
 * Makes a transition: the status with `changes`, the events stamped with the release's next
 * sequence numbers and `now`, and their entries added to the timeline. The status is copied once.
 */
export function emit(
  status: ReleaseStatus,
  changes: Partial<ReleaseStatus>,
  now: number,
  bodies: readonly ReleaseEventBody[],
): Transition {
  const events = bodies.map((body, i): ReleaseEvent => ({ ...body, seq: status.lastSeq + 1 + i, at: now }));
  const recorded =
    events.length === 0
      ? {}
      : { lastSeq: status.lastSeq + events.length, timeline: appendTimeline(status.timeline, events) };
  // A fresh object (never the given status); not `{ ...status }`, which the workflow bundle turns into
  // a per-key helper, and this runs for every swap of every account.
  return { status: Object.assign({}, status, changes, recorded), events };
}

export function unchanged(status: ReleaseStatus): Transition {
  return { status, events: [] };
}

/** Runs `next` on the status `first` produced; the events of both, in order. */
export function andThen(first: Transition, next: (status: ReleaseStatus) => Transition): Transition {
  const second = next(first.status);
  return { status: second.status, events: [...first.events, ...second.events] };
}

// ---- questions the runbook asks

export function isFinished(status: ReleaseStatus): boolean {
  return status.stage === 'completed' || status.stage === 'aborted';
}

export function openIssues(status: ReleaseStatus): ReleaseIssue[] {
  return status.issues.filter((issue) => issue.closedAt === undefined);
}

/** Whether accounts of this wave may start now (a pause only delays; these stop the wave). */
export function waveMayGoOn(status: ReleaseStatus, wave: Wave): boolean {
  if (status.abort || status.halt || status.pendingPatch) return false;
  // Nothing in wave 2 starts while an issue is open.
  return wave === 1 || openIssues(status).length === 0;
}

/** Whether a held release may go on: a patch was given, or nothing holds it any more. */
export function holdIsOver(status: ReleaseStatus): boolean {
  return status.pendingPatch !== undefined || (!status.halt && openIssues(status).length === 0);
}

/** What ended a hold that is over: a patch to re-release, or a resume. */
export function holdLiftedBy(status: ReleaseStatus): 'patch' | 'resume' {
  return status.pendingPatch ? 'patch' : 'resume';
}

/** Why the release cannot go on: a halted wave, or the open issues. */
export function whatHoldsRelease(status: ReleaseStatus): string {
  if (status.halt) return status.halt.reason;
  const open = openIssues(status);
  return `${open.length} open issue(s) and no patch: ${open.map((i) => `#${i.id} ${i.summary}`).join('; ')}`;
}

/** When wave 2 may begin: Day 3, and a full stage after the last wave-1 deployment. */
export function waveTwoStartsAt(status: ReleaseStatus): number {
  return waveTwoNotBefore(status.schedule, status.lastWaveOneFinishedAt);
}
