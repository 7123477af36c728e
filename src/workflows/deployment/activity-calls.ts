/** How the swap calls its activities and times its steps. */
import { CancellationScope, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import type { StepName } from '../../domain/deployment/status';
import type { Strategy } from '../../domain/strategy';
import type { CheckReport, DeploymentStep } from '../../domain/deployment/swap';
import { checkReported, stepFinished, stepStarted } from '../../domain/deployment/transitions';
import type { SwapRecord } from './record';
import { RETRY, untilThrough } from './retry-by-time';

/** Every activity heartbeats each second; a crashed worker is noticed after this long. */
const HEARTBEAT_TIMEOUT = '5s';
/** What one round of probes to green may take when nothing is wrong (smoke and use-case checks). */
export const PROBES_MS = 30_000;
/** Slack for a drain beyond its timeout: the fleet stops what is left, the activity sees it. */
export const SLACK_MS = 30_000;

const fleet = proxyActivities<DeploymentActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: RETRY,
});

type Input<K extends keyof DeploymentActivities> = Parameters<DeploymentActivities[K]>[0];
type Output<K extends keyof DeploymentActivities> = Awaited<ReturnType<DeploymentActivities[K]>>;

/** One activity with its summary (shown in the Temporal UI) and options beyond the defaults above. */
function call<K extends keyof DeploymentActivities>(
  name: K,
  summary: string,
  options: ActivityOptions,
  input: Input<K>,
): Promise<Output<K>> {
  const activity = fleet[name] as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): Promise<Output<K>>;
  };
  return activity.executeWithOptions({ ...options, summary }, [input]);
}

/** The swap's activity calls: each one until it gets through, retried by time (see retry-by-time.ts). */
export class SwapCalls {
  constructor(
    private readonly record: SwapRecord,
    private readonly faults: Strategy['faults'],
  ) {}

  /**
   * Calls `name` until it succeeds or fails on evidence. `ownMs` is what the step takes when
   * nothing is wrong (0 for a few fleet calls); the time budget of each call adds the strategy's
   * `faults.stallAfter`. An input given as a function gets the progress of the call before it
   * (its last heartbeat details) when a budget ran out.
   */
  run<K extends keyof DeploymentActivities>(
    name: K,
    summary: string,
    input: Input<K> | ((resume: unknown) => Input<K>),
    ownMs = 0,
  ): Promise<Output<K>> {
    const budgetMs = ownMs + this.faults.stallAfter;
    const options = { startToCloseTimeout: budgetMs, scheduleToCloseTimeout: budgetMs };
    const inputFor = (resume: unknown) =>
      typeof input === 'function' ? (input as (resume: unknown) => Input<K>)(resume) : input;
    return untilThrough(this.record, { issueAfterMs: this.faults.issueAfter }, name, (resume) =>
      call(name, summary, options, inputFor(resume)),
    );
  }
}

/** `input` with the progress of the call before, when there is one. */
export function resuming<I extends object>(input: I): (resume: unknown) => I & { resume?: unknown } {
  return (resume) => (resume === undefined ? input : { ...input, resume });
}

/**
 * A step that changes the fleet runs to its end even when the swap is cancelled meanwhile: the
 * server does not wait for a cancelled activity to stop before the workflow goes on, and a
 * compensation racing a provision or a pool switch still in flight could leave green behind
 * or traffic on a green about to be removed. The cancellation takes effect right after.
 */
export function mutate<T>(run: () => Promise<T>): Promise<T> {
  return CancellationScope.nonCancellable(run);
}

/** Runs one step of the runbook, timing it in the swap's status. */
export async function step<T>(record: SwapRecord, name: StepName, run: () => Promise<T>): Promise<T> {
  record.apply(stepStarted, { step: name });
  try {
    return await run();
  } finally {
    record.apply(stepFinished, { step: name });
  }
}

/** A validation check: passed or inconclusive reports come back, failed ones arrive as a ValidationFailed failure. */
export async function check(
  record: SwapRecord,
  name: CheckReport['check'] & DeploymentStep,
  run: () => Promise<CheckReport>,
): Promise<void> {
  const report = await step(record, name, run);
  record.apply(checkReported, { report });
}
