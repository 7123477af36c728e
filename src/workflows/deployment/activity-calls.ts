/** How the swap calls its activities and times its steps. */
import {
  CancellationScope,
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import type { StepName } from '../../domain/deployment/status';
import type { Strategy } from '../../domain/strategy';
import type { CheckReport, DeploymentStep } from '../../domain/deployment/swap';
import { checkReported, stepFinished, stepStarted } from '../../domain/deployment/transitions';
import type { SwapRecord } from './record';
import { infrastructureFault, localTryFault } from './failures';
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

/** Local activities: run by the worker that runs the swap, recorded as a marker, no task of their own. */
const fleetNearby = proxyLocalActivities<DeploymentActivities>({ startToCloseTimeout: '1 minute', retry: RETRY });

/**
 * How long a quick call is tried as a local activity. A call that has not got through by then
 * (the fleet does not answer, the worker is overloaded) goes on as an activity task with the rest
 * of its budget: a local activity has no heartbeat, keeps the workflow task open (queries wait)
 * and ends its budget with a bare timeout, where a task says why it stalled ("fleet unreachable")
 * and is taken over by another worker within the heartbeat timeout.
 */
const LOCAL_TRY_MS = 10_000;
/**
 * The local try also ends after this many attempts, each given its share of LOCAL_TRY_MS: the
 * SDK's core does not end a local activity's retries at its schedule-to-close timeout (a provision
 * cut off for 8 s with a 2 s timeout was tried 6 times over 16 s, holding its workflow task and the
 * swap's queries, and no stall showed). The fault is still retried by time, as an activity task.
 */
const LOCAL_TRY_ATTEMPTS = 3;

/** The options of a local try of `ms` (see LOCAL_TRY_MS, LOCAL_TRY_ATTEMPTS). */
function localTry(ms: number): LocalActivityOptions {
  return {
    startToCloseTimeout: Math.ceil(ms / LOCAL_TRY_ATTEMPTS),
    scheduleToCloseTimeout: ms,
    retry: { ...RETRY, maximumAttempts: LOCAL_TRY_ATTEMPTS },
  };
}

type Name = keyof DeploymentActivities;
type Input<K extends Name> = Parameters<DeploymentActivities[K]>[0];
type Output<K extends Name> = Awaited<ReturnType<DeploymentActivities[K]>>;

/**
 * Swaps recorded before ran every call as an activity task and replay that way. From this patch
 * on, the quick fleet calls run as local activities: a round trip through the server fewer each
 * (a swap is 5 workflow tasks instead of 13, 44 history events instead of 87).
 */
export const LOCAL_FLEET_CALLS_PATCH = 'local-fleet-calls';

/**
 * Calls that answer at once when nothing is wrong and have no progress to resume from: one
 * request or one round of probes to the fleet. Calls that wait (readiness, the canary's samples,
 * a migration, the watch, the drain, a claim that waits for the holder) stay activity tasks:
 * they heartbeat, a lost worker is noticed within seconds and the next call resumes from the
 * heartbeat details. So do the compensations (`taskOnly`): a rollback blocked by an outage shows
 * its stall when its budget runs out, counted from its first attempt whatever worker crashes.
 */
const QUICK_CALLS: ReadonlySet<Name> = new Set<Name>([
  'claimAccount',
  'releaseAccount',
  'describeAccount',
  'provisionGreen',
  'runSmokeChecks',
  'checkUseCaseReadiness',
  'promoteGreen',
  'setMaintenanceMode',
  'decommissionInstances',
]);

/** Where a call runs: a local activity, or an activity task any worker may take. */
type CallPlace = 'local' | 'task';

/** What an activity task gets at least after a quick call's local try used up its budget. */
const MIN_TASK_BUDGET_MS = 1_000;

/** One activity with its summary (shown in the Temporal UI) and options beyond the defaults above. */
function call<K extends Name>(
  name: K,
  place: CallPlace,
  summary: string,
  options: ActivityOptions | LocalActivityOptions,
  input: Input<K>,
): Promise<Output<K>> {
  const activity = (place === 'local' ? fleetNearby[name] : fleet[name]) as unknown as {
    executeWithOptions(options: ActivityOptions | LocalActivityOptions, args: unknown[]): Promise<Output<K>>;
  };
  return activity.executeWithOptions({ ...options, summary }, [input]);
}

/** The swap's activity calls: each one until it gets through, retried by time (see retry-by-time.ts). */
export class SwapCalls {
  /** Whether quick calls run as local activities (LOCAL_FLEET_CALLS_PATCH), decided once per swap. */
  private readonly quickCallsLocal: boolean;

  constructor(
    private readonly record: SwapRecord,
    private readonly faults: Strategy['faults'],
  ) {
    this.quickCallsLocal = patched(LOCAL_FLEET_CALLS_PATCH);
  }

  /**
   * Calls `name` until it succeeds or fails on evidence. `ownMs` is what the step takes when
   * nothing is wrong (0 for a few fleet calls); the time budget of each call adds the strategy's
   * `faults.stallAfter`. An input given as a function gets the progress of the call before it
   * (its last heartbeat details) when a budget ran out. A quick call is tried as a local activity
   * first (see LOCAL_TRY_MS); `taskOnly` makes it an activity task from the start (a claim that
   * waits for the holder, a compensation).
   */
  run<K extends Name>(
    name: K,
    summary: string,
    input: Input<K> | ((resume: unknown) => Input<K>),
    ownMs = 0,
    taskOnly = false,
  ): Promise<Output<K>> {
    let tryLocally = this.quickCallsLocal && QUICK_CALLS.has(name) && !taskOnly;
    const budgetMs = ownMs + this.faults.stallAfter;
    const within = (ms: number) => ({ startToCloseTimeout: ms, scheduleToCloseTimeout: ms });
    const inputFor = (resume: unknown) =>
      typeof input === 'function' ? (input as (resume: unknown) => Input<K>)(resume) : input;
    return untilThrough(this.record, { issueAfterMs: this.faults.issueAfter }, name, (resume): Promise<Output<K>> => {
      const startedAt = Date.now();
      const asTask = () => {
        const restMs = Math.max(budgetMs - (Date.now() - startedAt), MIN_TASK_BUDGET_MS);
        return call(name, 'task', summary, within(restMs), inputFor(resume));
      };
      if (!tryLocally) return asTask();
      tryLocally = false;
      return call(name, 'local', summary, localTry(Math.min(LOCAL_TRY_MS, budgetMs)), inputFor(resume)).catch(
        (error: unknown) => {
          if (!infrastructureFault(error) && !localTryFault(error)) throw error;
          return asTask();
        },
      );
    });
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

/**
 * Runs one step of the runbook, timing it in the swap's status. Chained rather than async, as
 * untilThrough is (retry-by-time.ts): a swap runs a dozen steps.
 */
export function step<T>(record: SwapRecord, name: StepName, run: () => Promise<T>): Promise<T> {
  record.apply(stepStarted, { step: name });
  const finished = () => record.apply(stepFinished, { step: name });
  let running: Promise<T>;
  try {
    running = run();
  } catch (error) {
    finished();
    return Promise.reject(error);
  }
  return running.then(
    (value) => {
      finished();
      return value;
    },
    (error: unknown) => {
      finished();
      throw error;
    },
  );
}

/** A validation check: passed or inconclusive reports come back, failed ones arrive as a ValidationFailed failure. */
export function check(
  record: SwapRecord,
  name: CheckReport['check'] & DeploymentStep,
  run: () => Promise<CheckReport>,
): Promise<void> {
  return step(record, name, run).then((report) => {
    record.apply(checkReported, { report });
  });
}
