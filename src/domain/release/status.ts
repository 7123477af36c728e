/**
 * The status of a release: what the `status` query answers, what continue-as-new carries, and the
 * pure transitions the workflow applies to it. Compact on purpose: a release may cover thousands of
 * accounts, and the whole object must stay far below Temporal's 2 MB payload limit.
 */
import type { DeploymentOutcome } from '../deployment/swap';
import type { ReleaseKind } from '../primitives';
import { formatDuration } from '../primitives';
import type { ReleaseStage } from './input';
import { scheduleMarks, waveTwoNotBefore } from './schedule';
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
}

export interface ReleaseIssue {
  id: number;
  source: 'automated' | 'on-call';
  summary: string;
  accounts?: string[];
  openedAt: string;
  closedAt?: string;
  closedBy?: string;
}

export interface TimelineEntry {
  at: string;
  event: string;
  detail?: string;
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
  /** Why the release is held (stage `held`), or why the current wave stopped starting accounts. */
  holdReason?: string;
  /** A patch given by on-call and not yet re-released. */
  pendingPatch?: { version: string; reason: string; at: string };
  abort?: { reason: string; rollback: boolean; at: string };
  /** A wave stopped by its failure budget, until a patch or a resume. */
  halt?: { wave: Wave; reason: string };
  schedule: {
    startAt: string;
    stageLength: string;
    stageLengthMs: number;
    day2At: string;
    day3At: string;
    waveTwoNotBefore: string;
  };
  lastWaveOneFinishedAt?: string;
  issues: ReleaseIssue[];
  nextIssueId: number;
  accounts: Record<string, AccountStatus>;
  timeline: TimelineEntry[];
  /** Oldest timeline entries dropped to keep the status compact. */
  timelineDropped: number;
  /** Workflow runs so far (continue-as-new keeps the history of each one small). */
  runs: number;
  startedAt: string;
  finishedAt?: string;
}

export const TIMELINE_LIMIT = 300;
/** Per-account reasons stay short: thousands of them live in the status (details are in the child's result). */
const REASON_LIMIT = 160;

const iso = (ms: number) => new Date(ms).toISOString();
const clip = (text: string, limit = REASON_LIMIT) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

export interface NewReleaseStatus {
  releaseId: string;
  version: string;
  kind: ReleaseKind;
  notes: string[];
  startAt: number;
  stageLength: number;
  accounts: Array<{ accountId: string; wave: Wave }>;
  now: number;
}

export function newReleaseStatus(init: NewReleaseStatus): ReleaseStatus {
  const marks = scheduleMarks(init);
  const accounts: Record<string, AccountStatus> = {};
  for (const { accountId, wave } of init.accounts) accounts[accountId] = { wave, state: 'pending', version: null };
  const status: ReleaseStatus = {
    releaseId: init.releaseId,
    originalVersion: init.version,
    targetVersion: init.version,
    kind: init.kind,
    notes: init.notes,
    stage: 'scheduled',
    day: 1,
    paused: false,
    schedule: {
      startAt: iso(marks.day1),
      stageLength: formatDuration(init.stageLength),
      stageLengthMs: init.stageLength,
      day2At: iso(marks.day2),
      day3At: iso(marks.day3),
      waveTwoNotBefore: iso(marks.day3),
    },
    issues: [],
    nextIssueId: 1,
    accounts,
    timeline: [],
    timelineDropped: 0,
    runs: 1,
    startedAt: iso(init.now),
  };
  const waves = countByWave(status);
  addTimeline(
    status,
    init.now,
    'planned',
    `${waves[1]} early-access account(s) in wave 1, ${waves[2]} in wave 2; Day 1 at ${status.schedule.startAt}, stage length ${status.schedule.stageLength}`,
  );
  return status;
}

function countByWave(status: ReleaseStatus): Record<Wave, number> {
  const counts: Record<Wave, number> = { 1: 0, 2: 0 };
  for (const account of Object.values(status.accounts)) counts[account.wave]++;
  return counts;
}

export function addTimeline(status: ReleaseStatus, now: number, event: string, detail?: string): void {
  status.timeline.push(
    detail === undefined ? { at: iso(now), event } : { at: iso(now), event, detail: clip(detail, 500) },
  );
  const excess = status.timeline.length - TIMELINE_LIMIT;
  if (excess > 0) {
    status.timeline.splice(0, excess);
    status.timelineDropped += excess;
  }
}

export function completeRelease(status: ReleaseStatus, now: number): void {
  status.finishedAt = iso(now);
  const c = waveCounts(status);
  const promoted = c[1].promoted + c[2].promoted;
  const total = c[1].total + c[2].total;
  enterStage(
    status,
    'completed',
    now,
    `${promoted} of ${total} account(s) on ${status.targetVersion}; ${total - promoted} rolled back, failed or not released`,
  );
}

export function isFinished(status: ReleaseStatus): boolean {
  return status.stage === 'completed' || status.stage === 'aborted';
}

/** Moves to a stage; returns false (and records nothing) when already there. */
export function enterStage(status: ReleaseStatus, stage: ReleaseStage, now: number, detail?: string): boolean {
  if (status.stage === stage) return false;
  status.stage = stage;
  if (stage !== 'held') status.holdReason = undefined;
  addTimeline(status, now, `stage ${stage}`, detail);
  return true;
}

export function openIssues(status: ReleaseStatus): ReleaseIssue[] {
  return status.issues.filter((issue) => issue.closedAt === undefined);
}

export function openIssue(
  status: ReleaseStatus,
  now: number,
  issue: { source: ReleaseIssue['source']; summary: string; accounts?: string[] },
): ReleaseIssue {
  const opened: ReleaseIssue = {
    id: status.nextIssueId++,
    source: issue.source,
    summary: clip(issue.summary),
    openedAt: iso(now),
  };
  if (issue.accounts?.length) opened.accounts = issue.accounts.slice(0, 50);
  status.issues.push(opened);
  // Keep every open issue and only the latest closed ones.
  const closed = status.issues.filter((i) => i.closedAt !== undefined);
  if (closed.length > 50) {
    const drop = new Set(closed.slice(0, closed.length - 50));
    status.issues = status.issues.filter((i) => !drop.has(i));
  }
  addTimeline(status, now, `issue #${opened.id} opened (${opened.source})`, opened.summary);
  return opened;
}

export function closeOpenIssues(status: ReleaseStatus, now: number, closedBy: string): number {
  const open = openIssues(status);
  for (const issue of open) {
    issue.closedAt = iso(now);
    issue.closedBy = closedBy;
  }
  return open.length;
}

/** Accounts of a wave that still need the target version: never attempted at it. */
export function accountsToDeploy(status: ReleaseStatus, wave: Wave): string[] {
  const ids: string[] = [];
  for (const [accountId, account] of Object.entries(status.accounts)) {
    if (account.wave === wave && account.state !== 'deploying' && account.attempted !== status.targetVersion)
      ids.push(accountId);
  }
  return ids;
}

/** Accounts of a wave whose deployment of the target version rolled back or failed. */
export function waveFailures(status: ReleaseStatus, wave: Wave): string[] {
  const ids: string[] = [];
  for (const [accountId, account] of Object.entries(status.accounts)) {
    if (
      account.wave === wave &&
      account.attempted === status.targetVersion &&
      (account.outcome === 'rolled-back' || account.outcome === 'failed')
    )
      ids.push(accountId);
  }
  return ids;
}

/** A swap starts. `revert` marks the swaps an abort with rollback runs: they keep the account's record of the release. */
export function recordDeploymentStarted(
  status: ReleaseStatus,
  accountId: string,
  version: string,
  revert = false,
): void {
  const account = status.accounts[accountId];
  account.state = 'deploying';
  if (revert) return;
  account.attempted = version;
  account.outcome = undefined;
  account.reason = undefined;
}

export interface DeploymentReport {
  outcome: DeploymentOutcome;
  fromVersion: string | null;
  toVersion: string;
  reason?: string;
  failedStep?: string;
}

/** Records a finished blue-green swap. `revert` marks the swaps an abort with rollback runs. */
export function recordDeploymentResult(
  status: ReleaseStatus,
  accountId: string,
  report: DeploymentReport,
  now: number,
  revert = false,
): void {
  const account = status.accounts[accountId];
  if (account.previous === undefined) account.previous = report.fromVersion;
  account.state = 'done';
  account.version = report.outcome === 'promoted' ? report.toVersion : report.fromVersion;
  const why = report.reason
    ? clip(report.failedStep ? `${report.failedStep}: ${report.reason}` : report.reason)
    : undefined;
  if (revert) {
    account.outcome = report.outcome === 'promoted' ? 'reverted' : report.outcome;
    account.reason =
      report.outcome === 'promoted'
        ? `back on ${report.toVersion} (release aborted)`
        : `rollback to ${report.toVersion} ${report.outcome}: ${why ?? 'no reason given'}`;
  } else {
    account.outcome = report.outcome;
    account.reason = report.outcome === 'promoted' ? undefined : (why ?? report.outcome);
  }
  if (report.outcome !== 'promoted')
    addTimeline(
      status,
      now,
      `${accountId} ${account.outcome}`,
      `${report.fromVersion ?? '?'} → ${report.toVersion}: ${account.reason}`,
    );
  if (!revert && account.wave === 1) status.lastWaveOneFinishedAt = iso(now);
  refreshWaveTwoNotBefore(status);
}

/**
 * A deployment that ended without a result: cancelled by an abort, or the child workflow itself
 * failed. A rollback (`revert`) that did not finish is a failure either way: the account is not back.
 */
export function recordDeploymentEnded(
  status: ReleaseStatus,
  accountId: string,
  ended: 'cancelled' | 'failed',
  reason: string,
  now: number,
  revert = false,
): void {
  const account = status.accounts[accountId];
  account.state = 'done';
  account.outcome = revert ? 'failed' : ended;
  account.reason = clip(reason);
  addTimeline(status, now, `${accountId} ${account.outcome}`, account.reason);
  if (!revert && account.wave === 1 && ended === 'failed') status.lastWaveOneFinishedAt = iso(now);
  refreshWaveTwoNotBefore(status);
}

function refreshWaveTwoNotBefore(status: ReleaseStatus): void {
  const last = status.lastWaveOneFinishedAt === undefined ? undefined : Date.parse(status.lastWaveOneFinishedAt);
  status.schedule.waveTwoNotBefore = iso(
    waveTwoNotBefore(
      { startAt: Date.parse(status.schedule.startAt), stageLength: status.schedule.stageLengthMs },
      last,
    ),
  );
}

/** The patch becomes the target: open issues close, a halted wave may go on. */
export function applyPatch(status: ReleaseStatus, now: number): string | undefined {
  const patch = status.pendingPatch;
  if (!patch) return undefined;
  status.pendingPatch = undefined;
  status.targetVersion = patch.version;
  status.halt = undefined;
  closeOpenIssues(status, now, `patch ${patch.version}`);
  addTimeline(status, now, `patch ${patch.version} is the target`, patch.reason);
  return patch.version;
}

/** Accounts that never got to start, once the release is over. */
export function markNotReleased(status: ReleaseStatus, reason: string): void {
  for (const account of Object.values(status.accounts)) {
    if (account.state === 'pending') {
      account.state = 'done';
      account.outcome = 'not-released';
      account.reason = reason;
    }
  }
}

export type OutcomeCounts = Record<AccountState | AccountOutcome, number> & { total: number };

export function waveCounts(status: ReleaseStatus): Record<Wave, OutcomeCounts> {
  const empty = (): OutcomeCounts => ({
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
  });
  const counts: Record<Wave, OutcomeCounts> = { 1: empty(), 2: empty() };
  for (const account of Object.values(status.accounts)) {
    const c = counts[account.wave];
    c.total++;
    c[account.state]++;
    if (account.state === 'done' && account.outcome) c[account.outcome]++;
  }
  return counts;
}

/** The wave table for the Temporal UI's current details (markdown). */
export function renderWaveTable(status: ReleaseStatus): string {
  const counts = waveCounts(status);
  const open = openIssues(status);
  const lines = [
    `**Release ${status.releaseId}** → \`${status.targetVersion}\` (${status.kind}) · stage **${status.stage}**` +
      (status.paused ? ` · ⏸ paused: ${status.pauseReason ?? ''}` : '') +
      (status.holdReason ? ` · held: ${status.holdReason}` : ''),
    '',
    '| Wave | Accounts | Pending | Deploying | Promoted | Rolled back | Failed | Cancelled | Reverted |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const wave of [1, 2] as const) {
    const c = counts[wave];
    const name = wave === 1 ? '1 (early access)' : '2';
    lines.push(
      `| ${name} | ${c.total} | ${c.pending} | ${c.deploying} | ${c.promoted} | ${c['rolled-back']} | ${c.failed} | ${c.cancelled} | ${c.reverted} |`,
    );
  }
  lines.push('', `Day 2: ${status.schedule.day2At} · wave 2 not before: ${status.schedule.waveTwoNotBefore}`);
  if (status.pendingPatch)
    lines.push(`Pending patch: \`${status.pendingPatch.version}\` (${status.pendingPatch.reason})`);
  if (open.length)
    lines.push('', `Open issues (${open.length}):`, ...open.slice(0, 5).map((i) => `- #${i.id} ${i.summary}`));
  return lines.join('\n');
}
