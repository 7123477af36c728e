/**
 * Failure classification: what an error thrown by a step means for the swap. First of all, an
 * infrastructure fault (the fleet not answering, a lost worker, a step that ran out of time) is
 * never a verdict: the step is retried (see retry-by-time.ts). Then business stops (SwapStop),
 * cancellations, refusals before anything was touched, and failures of something tried, with the
 * evidence they carry (the failed check's report, when the watch saw the breach).
 */
import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import type { Blindness } from '../../domain/deployment/activities';
import type { Stop, SwapFailure } from '../../domain/deployment/rollback';
import {
  DEPLOYMENT_FAILURES,
  type CheckReport,
  type DeploymentOutcome,
  type DeploymentStep,
} from '../../domain/deployment/swap';

/** A business outcome that ends the swap early (nothing to retry): becomes the result. */
export class SwapStop extends Error implements Stop {
  constructor(
    readonly outcome: DeploymentOutcome,
    readonly step: DeploymentStep,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SwapStop';
  }
}

/** An activity call that failed for a reason that says nothing about the new version. */
export interface InfrastructureFault {
  /** In words: "fleet unreachable", "router unreachable", "worker lost", "no answer in time". */
  cause: string;
  /** The last error seen. */
  detail: string;
  /** The last heartbeat details of the call (a watch's tally, a wait's observed time): where to go on from. */
  progress?: unknown;
  /** Since when the activity could not see the fleet, when it said so in its heartbeat details (epoch ms). */
  since?: number;
}

/**
 * Whether an activity call failed on infrastructure, and how; undefined for evidence about the
 * new version or a refusal (non-retryable failures), cancellations and anything not an activity's.
 * Activities retry without an attempt cap within a time budget, so they end in one of:
 * - a timeout (the budget ran out while the activity ran or waited, a worker lost its heartbeat):
 *   infrastructure, with the last heartbeat details;
 * - a retryable failure when the budget left no room for another attempt (FleetUnavailable for a
 *   fleet that did not answer): infrastructure;
 * - a non-retryable failure (ValidationFailed, WatchBreached, BlueMissing, FleetRejected, ...):
 *   evidence or a refusal, never retried.
 */
export function infrastructureFault(error: unknown): InfrastructureFault | undefined {
  if (!(error instanceof ActivityFailure) || isCancellation(error)) return undefined;
  const cause = error.cause;
  if (cause instanceof TimeoutFailure) {
    const progress = cause.lastHeartbeatDetails;
    const blind = blindnessOf(progress);
    if (blind) return { cause: blind.cause, detail: blind.detail, since: blind.since, progress };
    const lost = cause.timeoutType === 'HEARTBEAT';
    return {
      cause: lost ? 'worker lost' : 'no answer in time',
      detail: `${error.activityType}: ${cause.message}`,
      ...(progress !== undefined ? { progress } : {}),
    };
  }
  if (cause instanceof ApplicationFailure && !cause.nonRetryable) {
    const unreachable = cause.type === DEPLOYMENT_FAILURES.fleetUnavailable;
    return {
      cause: unreachable ? 'fleet unreachable' : `${error.activityType} keeps failing`,
      detail: cause.message,
    };
  }
  return undefined;
}

/**
 * A local try that used up its attempts (activity-calls.ts, LOCAL_TRY_ATTEMPTS) ends with its last
 * failure as it is, not wrapped in an ActivityFailure: a retryable one or a timeout is a fault like
 * infrastructureFault's, and the call goes on as an activity task.
 */
export function localTryFault(error: unknown): boolean {
  return (error instanceof ApplicationFailure && !error.nonRetryable) || error instanceof TimeoutFailure;
}

/** The blindness a waiting activity reported in its heartbeat details, if any. */
function blindnessOf(progress: unknown): Blindness | undefined {
  const blind = (progress as { blind?: Partial<Blindness> } | null | undefined)?.blind;
  if (!blind || typeof blind !== 'object') return undefined;
  const { since, cause, detail } = blind;
  return typeof since === 'number' && typeof cause === 'string' && typeof detail === 'string'
    ? { since, cause, detail }
    : undefined;
}

export function classifyFailure(error: unknown): SwapFailure {
  if (isCancellation(error)) return { kind: 'cancelled' };
  if (error instanceof SwapStop)
    return { kind: 'stopped', outcome: error.outcome, step: error.step, reason: error.reason };
  const reason = describeFailure(error);
  if (isPreconditionFailure(error)) return { kind: 'precondition', reason };
  const report = checkReportOf(error);
  const breachDetectedAt = watchBreachTime(error);
  return {
    kind: 'error',
    reason,
    ...(report ? { report } : {}),
    ...(breachDetectedAt !== undefined ? { breachDetectedAt } : {}),
  };
}

/** The ApplicationFailure behind an activity failure, if any. */
export function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
  if (error instanceof ApplicationFailure) return error;
  return undefined;
}

/** Failures that mean the swap could not start at all (not a rollback of something tried). */
export function isPreconditionFailure(error: unknown): boolean {
  const type = applicationFailureOf(error)?.type;
  return type === DEPLOYMENT_FAILURES.accountNotFound || type === DEPLOYMENT_FAILURES.versionNotFound;
}

/** A failed check travels as the first detail of its ValidationFailed or WatchBreached failure. */
export function checkReportOf(error: unknown): CheckReport | undefined {
  const report = applicationFailureOf(error)?.details?.[0] as CheckReport | undefined;
  return report && typeof report === 'object' && 'check' in report && 'verdict' in report ? report : undefined;
}

/** When the watch saw the breach become certain (epoch ms, the watch activity's clock). */
export function watchBreachTime(error: unknown): number | undefined {
  const failure = applicationFailureOf(error);
  if (failure?.type !== DEPLOYMENT_FAILURES.watchBreached) return undefined;
  const at = failure.details?.[1];
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

export function describeFailure(error: unknown): string {
  const failure = applicationFailureOf(error);
  if (failure) return failure.message;
  if (error instanceof ActivityFailure) return `${error.activityType} failed: ${error.cause?.message ?? error.message}`;
  return error instanceof Error ? error.message : String(error);
}
