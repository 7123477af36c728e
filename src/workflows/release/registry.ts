/**
 * Reading the account registry (which accounts, in which wave). Retried by time like every call of
 * a swap: a fleet that does not answer shows as a stall of the release ("reading accounts
 * stalled: fleet unreachable for 1m, retrying") and the call is made again until it answers; only a
 * refusal (a non-retryable failure) fails the release.
 */
import { ApplicationFailure, patched, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import { ownStepRecovered, ownStepStalled } from '../../domain/release/stalls';
import { expandRegistry, type RegistryAnswer } from '../../domain/release/registry-answer';
import type { RegistryAccount } from '../../domain/release/waves';
import { infrastructureFault } from '../deployment/failures';
import { RETRY, RETRY_BY_TIME_PATCH } from '../deployment/retry-by-time';
import type { ReleaseRun } from './release-run';

const { listReleaseAccounts } = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: RETRY,
});
const STEP = 'reading accounts';

export async function readRegistry(run: ReleaseRun): Promise<RegistryAccount[]> {
  const budgetMs = run.params.strategy.faults.stallAfter;
  const options: ActivityOptions = {
    startToCloseTimeout: budgetMs,
    scheduleToCloseTimeout: budgetMs,
    summary: 'list accounts and their early-access opt-in',
  };
  const list = listReleaseAccounts as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): Promise<RegistryAnswer>;
  };
  for (;;) {
    const budgetStartedAt = Date.now();
    let answer: RegistryAnswer;
    try {
      answer = await list.executeWithOptions(options, [{ releaseId: run.params.releaseId }]);
      run.apply(ownStepRecovered);
    } catch (error) {
      const fault = infrastructureFault(error);
      if (!fault || !patched(RETRY_BY_TIME_PATCH)) throw error;
      const stall = { step: STEP, since: fault.since ?? budgetStartedAt, cause: fault.cause, detail: fault.detail };
      run.apply((status, now) => ownStepStalled(status, stall, now));
      continue;
    }
    try {
      return expandRegistry(answer);
    } catch (error) {
      // A refusal, not a workflow task failure: the release fails saying what the answer lacked.
      throw ApplicationFailure.nonRetryable(
        error instanceof Error ? error.message : String(error),
        'RegistryMalformed',
      );
    }
  }
}
