/**
 * Pre-release validation (wave 0), before Day 1: each internal account gets a regression run of the
 * target against the version it serves, then its normal swap (blueGreenDeployment, every check). A
 * regression or a swap that fails opens an issue and holds the release before any customer account
 * is touched: on-call patches (the patch is validated on wave 0 again), resumes (Day 1 goes on
 * anyway) or aborts. The regression run's infrastructure faults are retried by time (a stall of the
 * release, never a verdict).
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { accountsToDeploy } from '../../domain/release/accounts';
import type { RegressionRun, ReleaseActivities } from '../../domain/release/activities';
import { judgeRegression, type RegressionEvidence } from '../../domain/release/regression';
import { ownStepRecovered, ownStepStalled } from '../../domain/release/stalls';
import { whatHoldsRelease } from '../../domain/release/status';
import {
  failValidation,
  judgeWaveZeroSwap,
  leaveWaveZero,
  passValidation,
  recordRegression,
  startValidation,
  validationDue,
} from '../../domain/release/validation';
import { infrastructureFault } from '../deployment/failures';
import { RETRY } from '../deployment/retry-by-time';
import { applyPatchWithNotes } from './notes';
import type { ReleaseRun } from './release-run';

/** Releases recorded before the pre-release validation plan their internal accounts by early access, as then. */
export const WAVE_ZERO_PATCH = 'wave-0-validation';

const { runRegression } = proxyActivities<ReleaseActivities>({ startToCloseTimeout: '5 minutes', retry: RETRY });

export async function validateOnWaveZero(run: ReleaseRun): Promise<void> {
  while (validationDue(run.status)) {
    await applyPatchWithNotes(run);
    if ((await validateTarget(run)) === 'passed') return;
    // Held before any customer account: a patch is validated again; on-call's resume of a failed
    // validation goes on (validationDue is over); a hold by anything else validates on after it.
    run.throwIfAborted();
    if ((await run.hold(whatHoldsRelease(run.status))) === 'resume') run.apply(leaveWaveZero);
  }
}

async function validateTarget(run: ReleaseRun): Promise<'passed' | 'stopped'> {
  await run.wait(() => !run.status.paused);
  const version = run.status.targetVersion;
  const accountIds = accountsToDeploy(run.status.accounts, 0, version);
  run.apply((status, now) => startValidation(status, accountIds.length, now));
  run.enterStage('wave-0', `${accountIds.length} internal account(s) validate ${version}`);
  for (const accountId of accountIds) {
    if (!run.waveMayGoOn(0)) return 'stopped';
    await run.wait(() => !run.status.paused);
    const evidence = await regressionOf(run, accountId, version);
    if ('refused' in evidence) {
      const reason = `regression run refused: ${evidence.refused}`;
      run.apply((status, now) => failValidation(status, { accountId, reason }, now));
      return 'stopped';
    }
    const verdict = judgeRegression(evidence, run.params.strategy.regression);
    run.apply((status, now) => recordRegression(status, { evidence, verdict }, now));
    if (!run.waveMayGoOn(0)) return 'stopped';
    await run.deploy({
      swaps: [{ accountId, version }],
      concurrency: 1,
      revert: false,
      mayGoOn: () => run.waveMayGoOn(0),
      afterEach: (id) => run.apply((status, now) => judgeWaveZeroSwap(status, id, now)),
      summary: (id) => `wave 0: ${id} → ${version}`,
    });
  }
  if (!run.waveMayGoOn(0)) return 'stopped';
  run.apply(passValidation);
  log.info('pre-release validation passed', { ...run.logAttrs, accounts: accountIds.length });
  return 'passed';
}

/**
 * The regression run, called again while the fleet does not answer (shown as a stall of the
 * release); a refusal of the platform (unknown account, ...) fails the validation.
 */
async function regressionOf(
  run: ReleaseRun,
  accountId: string,
  version: string,
): Promise<RegressionEvidence | { refused: string }> {
  const strategy = run.params.strategy;
  const budgetMs = strategy.readinessTimeout * 2 + strategy.faults.stallAfter + 60_000;
  const options: ActivityOptions = {
    startToCloseTimeout: budgetMs,
    scheduleToCloseTimeout: budgetMs,
    heartbeatTimeout: 30_000,
    summary: `wave 0: regression run of ${version} on ${accountId}`,
  };
  const input: RegressionRun = {
    releaseId: run.params.releaseId,
    accountId,
    version,
    requests: strategy.regression.requests,
    readinessTimeoutMs: strategy.readinessTimeout,
  };
  const call = runRegression as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): Promise<RegressionEvidence>;
  };
  for (;;) {
    const budgetStartedAt = Date.now();
    try {
      const evidence = await call.executeWithOptions(options, [input]);
      run.apply(ownStepRecovered);
      return evidence;
    } catch (error) {
      const fault = infrastructureFault(error);
      if (!fault) {
        const refusal = error instanceof ActivityFailure ? error.cause : undefined;
        if (refusal instanceof ApplicationFailure && refusal.nonRetryable) return { refused: refusal.message };
        throw error;
      }
      const stall = {
        step: `regression run on ${accountId}`,
        since: fault.since ?? budgetStartedAt,
        cause: fault.cause,
        detail: fault.detail,
      };
      run.apply((status, now) => ownStepStalled(status, stall, now));
    }
  }
}
