import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CheckReport } from '../../domain/deployment/swap';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { SwapContext } from '../../domain/deployment/activities';
import { FleetError } from '../../platform/provider';
import type { Logger } from '../../logging/logger';

/** How often activities heartbeat while a fleet call or a wait is in progress (the SDK throttles further). */
const HEARTBEAT_EVERY_MS = 1000;

/** A pino child logger carrying the release, account, version and activity. */
export function activityLogger(root: Logger, context: SwapContext): Logger {
  const info = activityInfo();
  return root.child({
    releaseId: context.releaseId,
    accountId: context.accountId,
    version: context.version,
    activity: info.activityType,
    attempt: info.attempt,
    workflowId: info.workflowExecution?.workflowId,
  });
}

/**
 * Runs `work` while heartbeating every second, so a crashed worker is noticed within the
 * heartbeat timeout and cancellation reaches the activity. `details` is sent with each beat.
 */
export async function heartbeating<T>(work: () => Promise<T>, details?: () => unknown): Promise<T> {
  heartbeat(details?.());
  const timer = setInterval(() => heartbeat(details?.()), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Maps a fleet error to a Temporal failure: retryable fleet errors are retried with backoff,
 * the others become non-retryable with `nonRetryableType` (the workflow branches on it).
 */
export function toFailure(
  error: unknown,
  what: string,
  nonRetryableType: string = DEPLOYMENT_FAILURES.fleetRejected,
): Error {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof FleetError) {
    const message = `${what}: ${error.message}`;
    return error.retryable
      ? ApplicationFailure.retryable(message, 'FleetUnavailable')
      : ApplicationFailure.nonRetryable(message, nonRetryableType, { status: error.status });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Calls the fleet, mapping its errors (see toFailure). */
export async function fleetCall<T>(what: string, call: () => Promise<T>, nonRetryableType?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toFailure(error, what, nonRetryableType);
  }
}

/** A check that failed: non-retryable, the report travels in the failure details. */
export function checkFailed(
  report: CheckReport,
  type: string = DEPLOYMENT_FAILURES.validationFailed,
  extra: unknown[] = [],
): ApplicationFailure {
  return ApplicationFailure.create({
    message: `${report.check} failed: ${report.summary}`,
    type,
    nonRetryable: true,
    details: [report, ...extra],
  });
}
