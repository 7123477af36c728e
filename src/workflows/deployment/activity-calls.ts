/** How the swap calls its activities and times its steps. */
import { CancellationScope, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import type { StepName } from '../../domain/deployment/status';
import type { CheckReport, DeploymentStep } from '../../domain/deployment/swap';
import { checkReported, stepFinished, stepStarted } from '../../domain/deployment/transitions';
import type { SwapRecord } from './record';

/** Transient fleet errors are retried with backoff; the activities make the other outcomes non-retryable. */
export const RETRY = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 8,
} as const;
/** Every activity heartbeats each second; a crashed worker is noticed after this long. */
const HEARTBEAT_TIMEOUT = '5s';
/** Slack added to step timeouts that depend on the strategy (readiness, watch, drain). */
export const SLACK_MS = 30_000;

const fleet = proxyActivities<DeploymentActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: RETRY,
});

/** One activity with its summary (shown in the Temporal UI) and options beyond the defaults above. */
export function call<K extends keyof DeploymentActivities>(
  name: K,
  summary: string,
  options: ActivityOptions,
  input: Parameters<DeploymentActivities[K]>[0],
): ReturnType<DeploymentActivities[K]> {
  const activity = fleet[name] as unknown as {
    executeWithOptions(options: ActivityOptions, args: unknown[]): ReturnType<DeploymentActivities[K]>;
  };
  return activity.executeWithOptions({ ...options, summary }, [input]);
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
