/**
 * What clients see of a release: the `status` query answer and the smaller answer of every
 * update. This is the public contract (README, "Inspect"): times are ISO text here, and the
 * schedule's marks (Day 2, Day 3, wave 2 not before) are computed here, not stored.
 */
import { notesMarkdown } from './notes';
import { undeliveredView, type UndeliveredView } from '../notify/outbox';
import { formatDuration } from '../primitives';
import { describeFreeze, type ReleaseFreezes } from './freezes';
import { accountsRecord, type AccountStatus, type OutcomeCounts } from './accounts';
import { records } from './bucket-table';
import type { ReleaseStage } from './input';
import { scheduleMarks } from './schedule';
import { newSwapsHeld, stallReason, type OwnStall, type SwapStall } from './stalls';
import { openIssues, waveTwoStartsAt, type ReleaseIssue, type ReleaseStatus } from './status';
import { iso, type TimelineEntry } from './timeline';
import type { ValidationStatus } from './validation';
import type { Wave } from './waves';

export type { AccountOutcome, AccountState, AccountStatus, OutcomeCounts } from './accounts';

export interface ReleaseIssueView {
  id: number;
  source: ReleaseIssue['source'];
  summary: string;
  accounts?: string[];
  /** Accounts of the issue left out of `accounts` (in the `status` answer, which names a few). */
  accountsOmitted?: number;
  openedAt: string;
  closedAt?: string;
  closedBy?: string;
}

export interface TimelineEntryView {
  at: string;
  event: string;
  detail?: string;
}

export interface ScheduleView {
  startAt: string;
  /** The stage length in words ("1 day", "20s"). */
  stageLength: string;
  stageLengthMs: number;
  day2At: string;
  day3At: string;
  waveTwoNotBefore: string;
}

/** A swap that cannot make progress now: retried, never rolled back for it. */
export interface StallView {
  accountId: string;
  version: string;
  step: string;
  since: string;
  stalledForMs: number;
  /** "fleet unreachable for 2m10s, retrying: <last error>" */
  reason: string;
}

/** The pre-release validation (wave 0): its state and each regression run's evidence. */
export interface ValidationView extends Omit<ValidationStatus, 'regressions'> {
  regressions: Array<ValidationStatus['regressions'][number] extends infer R ? Omit<R, 'at'> & { at: string } : never>;
}

/** An account's entry in the `status` answer: its record, and its stall while it has one. */
export type AccountStatusView = AccountStatus & { stalled?: { step: string; since: string; reason: string } };

/** The `status` answer without the per-account entries: what every update answers (small in history). */
export interface ReleaseStatusSummary {
  releaseId: string;
  originalVersion: string;
  targetVersion: string;
  kind: ReleaseStatus['kind'];
  notes: string[];
  stage: ReleaseStage;
  day: 1 | 2 | 3;
  paused: boolean;
  pauseReason?: string;
  holdReason?: string;
  pendingPatch?: { version: string; reason: string; at: string };
  abort?: { reason: string; rollback: boolean; at: string };
  halt?: { wave: Wave; reason: string };
  schedule: ScheduleView;
  lastWaveOneFinishedAt?: string;
  issues: ReleaseIssueView[];
  nextIssueId: number;
  timeline: TimelineEntryView[];
  timelineDropped: number;
  runs: number;
  startedAt: string;
  finishedAt?: string;
  openIssues: ReleaseIssueView[];
  /** wave0 (internal accounts) only in releases that have some. */
  waves: { wave0?: OutcomeCounts; wave1: OutcomeCounts; wave2: OutcomeCounts };
  /** The pre-release validation on internal accounts; absent in releases started before it existed. */
  validation?: ValidationView;
  /** Swaps that cannot make progress now (the fleet does not answer, ...); absent when none. */
  stalls?: StallView[];
  /** Why no new swap starts although the release is not paused (stalled swaps past the threshold). */
  newSwapsHeld?: string;
  /** The release's own step that cannot make progress (reading the account registry). */
  ownStall?: { step: string; since: string; reason: string };
  /** Notifications not yet delivered to every sink (README, "Notifications"); absent when the release notifies none. */
  undelivered?: UndeliveredView;
  /** Freeze windows (README, "Freeze windows"): absent in releases started before them. */
  freeze?: FreezeView;
}

export interface FreezeView {
  /** The freeze no new swap starts in, while the release waits on it. */
  waitingOn?: { id: string; name: string; start: string; until: string; summary: string };
  /** Freeze occurrences on-call overrode, the newest last. */
  overrides: Array<{ freezeId: string; name: string; reason: string; at: string }>;
  /** Rules of the calendar the release last read, and when it read it. */
  rules: number;
  calendarReadAt: string;
}

/** The whole `status` answer, every account included. */
export interface ReleaseStatusView extends ReleaseStatusSummary {
  accounts: Record<string, AccountStatusView>;
  /** The compiled release notes (Markdown), once compiled. */
  releaseNotes?: string;
}

export function statusView(status: ReleaseStatus): ReleaseStatusView {
  const accounts: Record<string, AccountStatusView> = accountsRecord(status.accounts);
  for (const stall of status.stalls) {
    const account = accounts[stall.accountId];
    if (account)
      accounts[stall.accountId] = {
        ...account,
        stalled: { step: stall.step, since: iso(stall.since), reason: stallReason(stall) },
      };
  }
  const releaseNotes = notesMarkdown(status);
  return { ...statusSummary(status), accounts, ...(releaseNotes === undefined ? {} : { releaseNotes }) };
}

/** Releases of up to this many accounts list every account in their result. */
export const RESULT_ACCOUNTS_LIMIT = 2_000;

/** The release's result: the status, with every account up to RESULT_ACCOUNTS_LIMIT of them. */
export interface ReleaseResultView extends ReleaseStatusView {
  /**
   * Accounts left out of `accounts` by a release over RESULT_ACCOUNTS_LIMIT accounts, whose result
   * lists only the accounts that did not end promoted (at most that many); the `accounts` query of
   * the closed release pages through all of them.
   */
  accountsOmitted?: number;
}

/** Whether the result of this release leaves accounts out (see ReleaseResultView). */
export function resultIsCompact(status: ReleaseStatus): boolean {
  return status.accounts.table.keys.length > RESULT_ACCOUNTS_LIMIT;
}

export function resultView(status: ReleaseStatus): ReleaseResultView {
  if (!resultIsCompact(status)) return statusView(status);
  const accounts: Record<string, AccountStatusView> = {};
  let listed = 0;
  for (const [accountId, account] of records(status.accounts.table)) {
    if (account.outcome === 'promoted' || listed === RESULT_ACCOUNTS_LIMIT) continue;
    accounts[accountId] = account;
    listed++;
  }
  const releaseNotes = notesMarkdown(status);
  return {
    ...statusSummary(status),
    accounts,
    accountsOmitted: status.accounts.table.keys.length - listed,
    ...(releaseNotes === undefined ? {} : { releaseNotes }),
  };
}

export function statusSummary(status: ReleaseStatus): ReleaseStatusSummary {
  const optional = <T, V>(value: T | undefined, view: (value: T) => V): V | undefined =>
    value === undefined ? undefined : view(value);
  return dropUndefined({
    releaseId: status.releaseId,
    originalVersion: status.originalVersion,
    targetVersion: status.targetVersion,
    kind: status.kind,
    notes: status.notes,
    stage: status.stage,
    day: status.day,
    paused: status.paused,
    pauseReason: status.pauseReason,
    holdReason: status.holdReason,
    pendingPatch: optional(status.pendingPatch, (patch) => ({ ...patch, at: iso(patch.at) })),
    abort: optional(status.abort, (abort) => ({ ...abort, at: iso(abort.at) })),
    halt: status.halt,
    schedule: scheduleView(status),
    lastWaveOneFinishedAt: optional(status.lastWaveOneFinishedAt, iso),
    issues: status.issues.map(issueView),
    nextIssueId: status.nextIssueId,
    timeline: status.timeline.entries.map(timelineEntryView),
    timelineDropped: status.timeline.dropped,
    runs: status.runs,
    startedAt: iso(status.startedAt),
    finishedAt: optional(status.finishedAt, iso),
    openIssues: openIssues(status).map(issueView),
    waves: {
      ...(status.accounts.counts.wave0.total ? { wave0: { ...status.accounts.counts.wave0 } } : {}),
      wave1: { ...status.accounts.counts.wave1 },
      wave2: { ...status.accounts.counts.wave2 },
    },
    validation: optional(status.validation, validationView),
    stalls: status.stalls.length ? status.stalls.map(stallView) : undefined,
    newSwapsHeld: newSwapsHeld(status),
    ownStall: optional(status.ownStall, ownStallView),
    undelivered: optional(status.notify, undeliveredView),
    freeze: optional(status.freeze, freezeView),
  });
}

function freezeView(freeze: ReleaseFreezes): FreezeView {
  const waitingOn = freeze.waitingOn;
  return dropUndefined({
    waitingOn: waitingOn && {
      id: waitingOn.id,
      name: waitingOn.name,
      start: iso(waitingOn.start),
      until: iso(waitingOn.end),
      summary: describeFreeze(waitingOn),
    },
    overrides: freeze.overrides.map((override) => ({ ...override, at: iso(override.at) })),
    rules: freeze.calendar.freezes.length,
    calendarReadAt: iso(freeze.readAt),
  });
}

function stallView(stall: SwapStall): StallView {
  const { accountId, version, step, since, stalledForMs } = stall;
  return { accountId, version, step, since: iso(since), stalledForMs, reason: stallReason(stall) };
}

function ownStallView(stall: OwnStall): NonNullable<ReleaseStatusSummary['ownStall']> {
  return {
    step: stall.step,
    since: iso(stall.since),
    reason: stallReason({ ...stall, stalledForMs: stall.checkedAt - stall.since }),
  };
}

export function scheduleView(status: ReleaseStatus): ScheduleView {
  const marks = scheduleMarks(status.schedule);
  return {
    startAt: iso(marks.day1),
    stageLength: formatDuration(status.schedule.stageLength),
    stageLengthMs: status.schedule.stageLength,
    day2At: iso(marks.day2),
    day3At: iso(marks.day3),
    waveTwoNotBefore: iso(waveTwoStartsAt(status)),
  };
}

function issueView(issue: ReleaseIssue): ReleaseIssueView {
  return dropUndefined({
    ...issue,
    openedAt: iso(issue.openedAt),
    closedAt: issue.closedAt === undefined ? undefined : iso(issue.closedAt),
  });
}

function timelineEntryView(entry: TimelineEntry): TimelineEntryView {
  return { ...entry, at: iso(entry.at) };
}

/** Optional fields are left out, not present as undefined (the answer is JSON either way). */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function validationView(validation: ValidationStatus): ValidationView {
  return { ...validation, regressions: validation.regressions.map((run) => ({ ...run, at: iso(run.at) })) };
}
