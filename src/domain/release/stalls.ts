/**
 * Swaps of the release that cannot make progress (each tells its release, see SwapStallReport),
 * and the release's own reading of the account registry. Shown per account, in the summary and
 * the timeline. Past `strategy.faults.issueAfter` the release opens an automated issue and starts
 * no new swaps; nothing is rolled back because of it. When every stalled swap has recovered (or
 * ended), the issue closes by itself and new swaps start again. On-call's `resume` (or a patch)
 * closes the issue too, and then new swaps start at once.
 */
import type { SwapStallReport } from '../deployment/stalls';
import { formatElapsed } from '../primitives';
import { accountOf, isInRelease } from './accounts';
import { closeIssue, openIssue } from './issues';
import { andThen, emit, unchanged, type ReleaseStatus, type Transition } from './status';

export interface SwapStall {
  accountId: string;
  version: string;
  step: string;
  /** Epoch ms. */
  since: number;
  /** As of the swap's latest report. */
  stalledForMs: number;
  cause: string;
  detail: string;
  reportedAt: number;
}

/** The release's own step that cannot make progress (reading the account registry). */
export interface OwnStall {
  step: string;
  since: number;
  cause: string;
  detail: string;
  checkedAt: number;
}

/** "fleet unreachable for 2m10s, retrying: <last error>" */
export function stallReason(stall: { cause: string; detail: string; stalledForMs: number }): string {
  return `${stall.cause} for ${formatElapsed(stall.stalledForMs)}, retrying: ${stall.detail}`;
}

/** Why no new swap starts now, or undefined. */
export function newSwapsHeld(status: ReleaseStatus): string | undefined {
  if (status.faultIssueId === undefined) return undefined;
  return `issue #${status.faultIssueId}: ${status.stalls.length} swap(s) stalled; no new swap starts until they recover`;
}

/** A swap of the release reported that it stalled (again, with how long), or that it recovered. */
export function swapStallReported(
  status: ReleaseStatus,
  report: SwapStallReport,
  issueAfterMs: number,
  now: number,
): Transition {
  if (!isInRelease(status.accounts, report.accountId)) return unchanged(status);
  const account = accountOf(status.accounts, report.accountId);
  // Only the swap the release waits for counts (a revert deploys the previous version).
  const deploying = report.version === account.attempted || report.version === account.previous;
  if (account.state !== 'deploying' || !deploying) return unchanged(status);
  if (!report.stalled) return dropStall(status, report.accountId, now, true);
  const known = status.stalls.some((s) => s.accountId === report.accountId);
  const { accountId, version, step, since, stalledForMs, cause, detail } = report;
  const stall: SwapStall = { accountId, version, step, since, stalledForMs, cause, detail, reportedAt: now };
  const stalls = [...status.stalls.filter((s) => s.accountId !== accountId), stall];
  const recorded = emit(
    status,
    { stalls },
    now,
    known ? [] : [{ type: 'swap-stalled', accountId, version, step, since, cause, detail }],
  );
  return andThen(recorded, (next) => openFaultIssue(next, issueAfterMs, now));
}

/** The swap of `accountId` is no longer stalled: it recovered, or it ended. */
export function dropStall(status: ReleaseStatus, accountId: string, now: number, recovered = false): Transition {
  const stall = status.stalls.find((s) => s.accountId === accountId);
  if (!stall) return unchanged(status);
  const stalls = status.stalls.filter((s) => s !== stall);
  const stalledForMs = Math.max(stall.stalledForMs, now - stall.since);
  const dropped = emit(
    status,
    { stalls },
    now,
    recovered ? [{ type: 'swap-recovered', accountId, step: stall.step, stalledForMs }] : [],
  );
  return andThen(dropped, (next) => closeFaultIssue(next, now));
}

/** Past the threshold: an automated issue, and no new swap starts while it is open. */
function openFaultIssue(status: ReleaseStatus, issueAfterMs: number, now: number): Transition {
  if (status.faultIssueId !== undefined) return unchanged(status);
  const longest = status.stalls.reduce<SwapStall | undefined>(
    (max, s) => (max === undefined || s.stalledForMs > max.stalledForMs ? s : max),
    undefined,
  );
  if (!longest || longest.stalledForMs < issueAfterMs) return unchanged(status);
  const summary = `${longest.cause} for ${formatElapsed(longest.stalledForMs)}: ${status.stalls.length} swap(s) stalled, nothing rolled back; no new swap starts until they recover`;
  const issueId = status.nextIssueId;
  const opened = openIssue(
    status,
    { source: 'automated', summary, accounts: status.stalls.map((s) => s.accountId) },
    now,
  );
  return andThen(opened, (next) => emit(next, { faultIssueId: issueId }, now, []));
}

/** Every stalled swap recovered (or ended): the issue closes by itself and new swaps start again. */
function closeFaultIssue(status: ReleaseStatus, now: number): Transition {
  const issueId = status.faultIssueId;
  if (issueId === undefined || status.stalls.length > 0) return unchanged(status);
  const closed = closeIssue(status, issueId, 'stalled swaps recovered', now);
  return andThen(closed, (next) => emit(next, { faultIssueId: undefined }, now, [{ type: 'stall-cleared', issueId }]));
}

/** The release's own step (reading the account registry) ran out of its time budget on a fault; it tries again. */
export function ownStepStalled(
  status: ReleaseStatus,
  stall: { step: string; since: number; cause: string; detail: string },
  now: number,
): Transition {
  const first = status.ownStall === undefined;
  const ownStall: OwnStall = { ...stall, since: status.ownStall?.since ?? stall.since, checkedAt: now };
  return emit(status, { ownStall }, now, first ? [{ type: 'release-stalled', ...ownStall }] : []);
}

export function ownStepRecovered(status: ReleaseStatus, now: number): Transition {
  const stall = status.ownStall;
  if (!stall) return unchanged(status);
  return emit(status, { ownStall: undefined }, now, [
    { type: 'release-recovered', step: stall.step, stalledForMs: now - stall.since },
  ]);
}
