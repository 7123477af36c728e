/**
 * Pre-release validation (wave 0): before Day 1 each internal account gets a regression run (see
 * regression.ts) and then its normal swap. A failed regression or a wave-0 swap that rolled back
 * or failed opens an issue and halts wave 0, which holds the release before any customer account
 * is touched, until on-call patches (validated again), resumes (goes on anyway) or aborts.
 */
import { accountOf, countAccounts, type AccountStatus } from './accounts';
import { mapRecords } from './bucket-table';
import { openIssue } from './issues';
import type { RegressionEvidence, RegressionVerdict, WorkloadMeasure } from './regression';
import { andThen, emit, unchanged, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';

export type ValidationState = 'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'empty';

/** One regression run as the status keeps it. */
export interface RegressionRecord {
  accountId: string;
  version: string;
  verdict: RegressionVerdict['verdict'];
  summary: string;
  baseline: WorkloadMeasure | null;
  candidate: WorkloadMeasure;
  at: number;
}

export interface ValidationStatus {
  state: ValidationState;
  /** The version wave 0 validates (or validated last). */
  version?: string;
  /** Why the release was started without wave 0 (state `skipped`). */
  skipReason?: string;
  /** The latest regression runs, oldest first (at most REGRESSIONS_KEPT). */
  regressions: RegressionRecord[];
}

const REGRESSIONS_KEPT = 20;
const SUMMARY_LIMIT = 500;

/** What the release does about wave 0: nothing to validate, skipped by hand with a reason, or validate its internal accounts. */
export function planValidation(
  status: ReleaseStatus,
  plan: { internalAccounts: number; skip?: { reason: string } },
  now: number,
): Transition {
  if (plan.skip) {
    const validation: ValidationStatus = { state: 'skipped', skipReason: plan.skip.reason, regressions: [] };
    return emit(status, { validation }, now, [{ type: 'validation-skipped', reason: plan.skip.reason }]);
  }
  if (plan.internalAccounts === 0)
    return emit(status, { validation: { state: 'empty', regressions: [] } }, now, [{ type: 'validation-empty' }]);
  return emit(status, { validation: { state: 'pending', regressions: [] } }, now, []);
}

/**
 * Whether wave 0 has to validate the release's target (before Day 1, and before a patch goes to
 * wave 1): not done yet, failed and not resumed by on-call, or a patch not validated yet.
 */
export function validationDue(status: ReleaseStatus): boolean {
  const validation = status.validation;
  if (!validation) return false;
  switch (validation.state) {
    case 'pending':
    case 'running':
      return true;
    case 'failed':
    case 'passed':
      return (
        (validation.state === 'failed' && status.halt?.wave === 0) ||
        status.pendingPatch !== undefined ||
        validation.version !== status.targetVersion
      );
    default:
      return false;
  }
}

/** Wave 0 starts (again) on the target version; nothing happens when it is already running on it. */
export function startValidation(status: ReleaseStatus, accounts: number, now: number): Transition {
  const current = status.validation;
  if (!current) return unchanged(status);
  const version = status.targetVersion;
  if (current.state === 'running' && current.version === version) return unchanged(status);
  return emit(status, { validation: { ...current, state: 'running', version } }, now, [
    { type: 'validation-started', version, accounts },
  ]);
}

/** A regression run's evidence and verdict; a failed one fails the validation. */
export function recordRegression(
  status: ReleaseStatus,
  run: { evidence: RegressionEvidence; verdict: RegressionVerdict },
  now: number,
): Transition {
  const current = status.validation;
  if (!current) return unchanged(status);
  const { evidence, verdict } = run;
  const record: RegressionRecord = {
    accountId: evidence.accountId,
    version: evidence.candidate.version,
    verdict: verdict.verdict,
    summary: clip(verdict.summary, SUMMARY_LIMIT),
    baseline: evidence.baseline,
    candidate: evidence.candidate,
    at: now,
  };
  const regressions = [
    ...current.regressions.filter((r) => r.accountId !== record.accountId || r.version !== record.version),
    record,
  ].slice(-REGRESSIONS_KEPT);
  const recorded = emit(status, { validation: { ...current, regressions } }, now, [
    {
      type: 'regression-judged',
      accountId: record.accountId,
      version: record.version,
      baselineVersion: evidence.baseline?.version ?? null,
      verdict: verdict.verdict,
      summary: record.summary,
    },
  ]);
  if (verdict.verdict === 'passed') return recorded;
  return andThen(recorded, (next) =>
    failValidation(next, { accountId: record.accountId, reason: `regression run: ${verdict.summary}` }, now),
  );
}

/** After a wave-0 swap: one that rolled back or failed fails the validation. */
export function judgeWaveZeroSwap(status: ReleaseStatus, accountId: string, now: number): Transition {
  const account = accountOf(status.accounts, accountId);
  if (status.abort || (account.outcome !== 'rolled-back' && account.outcome !== 'failed')) return unchanged(status);
  return failValidation(
    status,
    { accountId, reason: `swap ${account.outcome} on ${account.attempted}: ${account.reason ?? ''}` },
    now,
  );
}

/** Wave 0 halts and an issue opens: nothing of Day 1 starts until on-call patches, resumes or aborts. */
export function failValidation(
  status: ReleaseStatus,
  failure: { accountId: string; reason: string },
  now: number,
): Transition {
  const current = status.validation;
  if (!current || status.halt) return unchanged(status);
  const version = current.version ?? status.targetVersion;
  const reason = `pre-release validation of ${version} failed on ${failure.accountId}: ${failure.reason}`;
  const failed = emit(status, { validation: { ...current, state: 'failed' }, halt: { wave: 0, reason } }, now, [
    { type: 'validation-failed', version, accountId: failure.accountId, reason },
  ]);
  return andThen(failed, (next) =>
    openIssue(next, { source: 'automated', summary: reason, accounts: [failure.accountId] }, now),
  );
}

export function passValidation(status: ReleaseStatus, now: number): Transition {
  const current = status.validation;
  if (!current || current.state === 'passed') return unchanged(status);
  const version = current.version ?? status.targetVersion;
  return emit(status, { validation: { ...current, state: 'passed' } }, now, [
    {
      type: 'validation-passed',
      version,
      regressions: current.regressions.filter((r) => r.version === version).length,
    },
  ]);
}

/**
 * On-call resumed a release whose validation failed: the internal accounts wave 0 did not get to
 * are not released (a later patch validated on wave 0 gives them their turn again).
 */
export function leaveWaveZero(status: ReleaseStatus, now: number): Transition {
  const validation = status.validation;
  if (validation?.state !== 'failed') return unchanged(status);
  const reason = `pre-release validation of ${validation.version ?? status.targetVersion} failed; on-call resumed the release`;
  let left = 0;
  const table = mapRecords(status.accounts.table, (account): AccountStatus => {
    if (account.wave !== 0 || account.state !== 'pending') return account;
    left++;
    return { ...account, state: 'done', outcome: 'not-released', reason };
  });
  if (left === 0) return unchanged(status);
  return emit(status, { accounts: { table, counts: countAccounts(table) } }, now, []);
}
