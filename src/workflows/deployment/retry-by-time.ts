/**
 * Retry by time, never by attempt count. Every activity call of the swap retries transient
 * failures without an attempt cap within a time budget (the step's own duration plus the
 * strategy's `faults.stallAfter`). When the budget runs out on an infrastructure fault (see
 * infrastructureFault), the swap does not roll back: it shows the step as stalled, tells its
 * release, and calls again from the last heartbeat details, until the step gets through (the
 * stall is over) or the swap is cancelled. Only evidence about the new version or a refusal
 * (a non-retryable failure) ends the loop with an error.
 */
import { patched } from '@temporalio/workflow';
import { stallReport, swapRecovered, swapStalled } from '../../domain/deployment/stalls';
import type { StepName, SwapPhase } from '../../domain/deployment/status';
import { infrastructureFault } from './failures';
import type { SwapRecord } from './record';
import { tellRelease } from './release-link';

/**
 * Swaps that ran before: a call that ran out of attempts was a rollback, and their histories
 * replay that way. From the first fault after this code runs, faults are retried by time.
 */
export const RETRY_BY_TIME_PATCH = 'retry-by-time';

/**
 * Transient failures retry with backoff and no attempt cap (activities make evidence and refusals
 * non-retryable); each call's time budget bounds them.
 */
export const RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s' } as const;

export interface StallPolicy {
  /** How long a stall may last before the release opens an issue: the swap tells it again then. */
  issueAfterMs: number;
}

/**
 * Most calls get through at once: the first try is chained without an async function around it,
 * since the SDK records a stack trace for every promise a workflow creates (an async function and
 * each of its awaits are one each) and a swap makes a dozen calls. A fault goes on in keepTrying.
 */
export function untilThrough<T>(
  record: SwapRecord,
  policy: StallPolicy,
  activity: string,
  attempt: (resume: unknown) => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  return attempt(undefined).then(
    (result) => (record.status.stall ? recovered(record, result) : result),
    (error: unknown) => keepTrying(record, policy, activity, attempt, { error, startedAt }),
  );
}

/** The loop after a failed try: a fault shows as a stall (told to the release) and is tried again; anything else is thrown. */
async function keepTrying<T>(
  record: SwapRecord,
  policy: StallPolicy,
  activity: string,
  attempt: (resume: unknown) => Promise<T>,
  failed: { error: unknown; startedAt: number },
): Promise<T> {
  let resume: unknown;
  let toldPastThreshold = false;
  let { error, startedAt: budgetStartedAt } = failed;
  for (;;) {
    const fault = infrastructureFault(error);
    if (!fault || !patched(RETRY_BY_TIME_PATCH)) throw error;
    if (fault.progress !== undefined) resume = fault.progress;
    const first = record.status.stall === undefined;
    const stall = record.apply(swapStalled, {
      step: stepOf(record.status.phase),
      activity,
      since: fault.since ?? budgetStartedAt,
      cause: fault.cause,
      detail: fault.detail,
    }).stall!;
    const pastThreshold = stall.checkedAt - stall.since >= policy.issueAfterMs;
    if (first || (pastThreshold && !toldPastThreshold)) {
      toldPastThreshold = pastThreshold;
      await tellRelease(stallReport(record.status, stall, true, Date.now()));
    }
    budgetStartedAt = Date.now();
    try {
      const result = await attempt(resume);
      return record.status.stall ? await recovered(record, result) : result;
    } catch (next) {
      error = next;
    }
  }
}

/** The stall is over: the status says so and the release is told. */
async function recovered<T>(record: SwapRecord, result: T): Promise<T> {
  const stall = record.status.stall!;
  record.apply(swapRecovered, {});
  await tellRelease(stallReport(record.status, stall, false, Date.now()));
  return result;
}

/** Calls are made inside steps; before the first one the swap reads the account (preflight). */
function stepOf(phase: SwapPhase): StepName {
  return phase === 'starting' || phase === 'done' ? 'preflight' : phase;
}
