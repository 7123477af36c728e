/**
 * Transitions of one account's deployment: a swap starts, a swap ends (with its result, cancelled
 * or failed), and the automated judgement of a wave after a failure. `revert` marks the swaps an
 * abort with rollback runs: they keep the account's record of the release.
 */
import type { CheckReport, DeploymentOutcome } from '../deployment/swap';
import type { CheckEvidence } from './events';
import { accountOf, waveFailures, withAccount, type AccountOutcome, type AccountStatus } from './accounts';
import { openIssue } from './issues';
import { andThen, emit, REASON_LIMIT, unchanged, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';
import { budgetExceeded, type Wave } from './waves';

export interface SwapStart {
  accountId: string;
  version: string;
  revert: boolean;
}

export function startDeployment(status: ReleaseStatus, swap: SwapStart, now: number): Transition {
  const account = accountOf(status.accounts, swap.accountId);
  const next: AccountStatus = swap.revert
    ? { ...account, state: 'deploying', ...(account.reconciled === 'revert' ? { reconciled: 'reverting' } : {}) }
    : { ...account, state: 'deploying', attempted: swap.version, outcome: undefined, reason: undefined };
  return emit(status, { accounts: withAccount(status.accounts, swap.accountId, next) }, now, [
    {
      type: 'deployment-started',
      accountId: swap.accountId,
      wave: account.wave,
      version: swap.version,
      revert: swap.revert,
    },
  ]);
}

/** What a finished blue-green swap reported (the part of its result the release keeps). */
export interface DeploymentReport {
  outcome: DeploymentOutcome;
  fromVersion: string | null;
  toVersion: string;
  reason?: string;
  failedStep?: string;
  /** The swap's checks; those that did not pass are the evidence of a rollback. */
  checks?: CheckReport[];
}

/** How a swap ended: its result, or no result because an abort cancelled it or the child workflow failed. */
export type SwapEnding =
  { ending: 'result'; report: DeploymentReport } | { ending: 'cancelled' } | { ending: 'failed'; error: string };
export type SwapEnd = SwapStart & SwapEnding;

export function finishDeployment(status: ReleaseStatus, swap: SwapEnd, now: number): Transition {
  const account = accountOf(status.accounts, swap.accountId);
  const next =
    swap.ending === 'result'
      ? withResult(account, swap.report, swap.revert, status.abort ? 'release aborted' : 'rolled back by on-call')
      : withoutResult(status, account, swap);
  // Wave 2 waits a full stage after the last wave-1 deployment; a cancelled one does not count.
  const movesWaveTwo = !swap.revert && account.wave === 1 && swap.ending !== 'cancelled';
  return emit(
    status,
    {
      accounts: withAccount(status.accounts, swap.accountId, next),
      lastWaveOneFinishedAt: movesWaveTwo ? now : status.lastWaveOneFinishedAt,
    },
    now,
    [
      {
        type: 'deployment-finished',
        accountId: swap.accountId,
        wave: account.wave,
        version: swap.version,
        ending: swap.ending,
        ...(swap.ending === 'result' ? { fromVersion: swap.report.fromVersion } : {}),
        outcome: next.outcome!,
        ...(next.reason === undefined ? {} : { reason: next.reason }),
        revert: swap.revert,
        ...evidenceOf(swap, next),
      },
    ],
  );
}

/** Figures of one check kept in an event, as JSON (see clipEvidence). */
export const EVIDENCE_LIMIT = 1500;
const CHECKS_KEPT = 3;

/** The evidence of the checks that did not pass, for a swap that ended with a rollback or a failure. */
function evidenceOf(swap: SwapEnd, next: AccountStatus): { evidence?: CheckEvidence[] } {
  if (swap.ending !== 'result' || (next.outcome !== 'rolled-back' && next.outcome !== 'failed')) return {};
  const failed = (swap.report.checks ?? []).filter((check) => check.verdict !== 'passed').slice(0, CHECKS_KEPT);
  if (failed.length === 0) return {};
  return {
    evidence: failed.map((check) => ({
      check: check.check,
      verdict: check.verdict,
      summary: clip(check.summary, REASON_LIMIT * 2),
      evidence: clipEvidence(check.evidence ?? {}),
    })),
  };
}

/** Items of a list kept when the evidence is too long; nested figures too long are left out by name. */
const LIST_ITEMS_KEPT = 3;
const NESTED_LIMIT = 300;

/**
 * The figures as they are when their JSON fits EVIDENCE_LIMIT; else the scalar figures, the first
 * items of each list, nested figures that are short (the others named in `omitted`); and if that is
 * still too long, the start of its JSON as `truncated`.
 */
export function clipEvidence(evidence: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(evidence).length <= EVIDENCE_LIMIT) return evidence;
  const kept: Record<string, unknown> = {};
  const omitted: string[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    const shortened = Array.isArray(value) ? value.slice(0, LIST_ITEMS_KEPT) : value;
    if (JSON.stringify(shortened ?? null).length > NESTED_LIMIT) omitted.push(key);
    else kept[key] = shortened;
  }
  if (omitted.length) kept.omitted = omitted;
  const json = JSON.stringify(kept);
  return json.length <= EVIDENCE_LIMIT ? kept : { truncated: json.slice(0, EVIDENCE_LIMIT) };
}

function withResult(
  account: AccountStatus,
  report: DeploymentReport,
  revert: boolean,
  revertedBecause: string,
): AccountStatus {
  const promoted = report.outcome === 'promoted';
  const why = report.reason
    ? clip(report.failedStep ? `${report.failedStep}: ${report.reason}` : report.reason, REASON_LIMIT)
    : undefined;
  const outcome: AccountOutcome = revert && promoted ? 'reverted' : report.outcome;
  const reason = revert
    ? promoted
      ? `back on ${report.toVersion} (${revertedBecause})`
      : `rollback to ${report.toVersion} ${report.outcome}: ${why ?? 'no reason given'}`
    : promoted
      ? undefined
      : (why ?? report.outcome);
  return {
    ...account,
    previous: account.previous === undefined ? report.fromVersion : account.previous,
    state: 'done',
    version: promoted ? report.toVersion : report.fromVersion,
    outcome,
    reason,
  };
}

/** A rollback (`revert`) that did not finish is a failure either way: the account is not back. */
function withoutResult(
  status: ReleaseStatus,
  account: AccountStatus,
  swap: SwapStart & ({ ending: 'cancelled' } | { ending: 'failed'; error: string }),
): AccountStatus {
  const what = swap.revert ? `rollback to ${swap.version}` : 'deployment';
  const abortReason = status.abort?.reason ?? '';
  const reason =
    swap.ending === 'failed'
      ? `${what} failed: ${swap.error}`
      : swap.revert
        ? `${what} cancelled: release aborted (${abortReason})`
        : `cancelled: release aborted (${abortReason}); the swap rolled back`;
  return {
    ...account,
    state: 'done',
    outcome: swap.revert ? 'failed' : swap.ending,
    reason: clip(reason, REASON_LIMIT),
  };
}

/**
 * Automated detection after an account of a wave finished: a wave-1 account that rolled back or
 * failed opens an issue; more failures on the target than the wave's budget halt the wave (and
 * in wave 2 open an issue naming them). Nothing is judged once the release is being aborted.
 */
export function judgeWave(
  status: ReleaseStatus,
  finished: { accountId: string; wave: Wave; budget: number },
  now: number,
): Transition {
  const account = accountOf(status.accounts, finished.accountId);
  if (status.abort || (account.outcome !== 'rolled-back' && account.outcome !== 'failed')) return unchanged(status);
  const { wave, budget } = finished;
  const reported =
    wave === 1
      ? openIssue(
          status,
          {
            source: 'automated',
            summary: `${finished.accountId} ${account.outcome} on ${account.attempted}: ${account.reason ?? ''}`,
            accounts: [finished.accountId],
          },
          now,
        )
      : unchanged(status);
  return andThen(reported, (current) => {
    if (current.halt) return unchanged(current);
    const failures = waveFailures(current.accounts, wave, current.targetVersion);
    if (!budgetExceeded(failures.length, budget)) return unchanged(current);
    const reason = `wave ${wave} failure budget (${budget}) exceeded: ${failures.length} account(s) rolled back or failed on ${current.targetVersion}`;
    const halted = emit(current, { halt: { wave, reason } }, now, [
      { type: 'wave-halted', wave, reason, failures: failures.length, budget },
    ]);
    return wave === 2
      ? andThen(halted, (next) => openIssue(next, { source: 'automated', summary: reason, accounts: failures }, now))
      : halted;
  });
}
