import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
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

/** Since when, and why, an activity could not see the fleet (see Blindness); read back from heartbeat details. */
export const BlindnessSchema = z.object({ since: z.number(), cause: z.string(), detail: z.string() });

/**
 * Runs `work` while heartbeating every second, so a crashed worker is noticed within the
 * heartbeat timeout and cancellation reaches the activity. `details` is sent with each beat.
 * The first beat comes after a second, not at the start: most calls are over sooner, and each
 * beat is a request the server records (4 of them per swap when the first was sent at once).
 *
 * An attempt that fails because the fleet does not answer records that in its last heartbeat
 * (`blind`: since when, the last error), and later attempts carry it on until one gets through:
 * when the call's time budget runs out, the workflow learns from the details why it stalled.
 * Run as a local activity (a quick call, see src/workflows/deployment/activity-calls.ts) it just
 * runs `work`.
 */
export async function heartbeating<T>(work: () => Promise<T>, details?: () => unknown): Promise<T> {
  // A local activity has no heartbeat: the workflow task it runs in is what the server watches.
  if (activityInfo().isLocal) return work();
  const earlier = BlindnessSchema.safeParse(
    (activityInfo().heartbeatDetails as { blind?: unknown } | undefined)?.blind,
  );
  const carried = earlier.success ? { blind: earlier.data } : undefined;
  const beat = () => heartbeat(details?.() ?? carried);
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === DEPLOYMENT_FAILURES.fleetUnavailable) {
      const since = carried?.blind.since ?? Date.now();
      const own = details?.();
      heartbeat({
        ...(own && typeof own === 'object' ? own : {}),
        blind: { since, cause: 'fleet unreachable', detail: error.message },
      });
    }
    throw error;
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
      ? ApplicationFailure.retryable(message, DEPLOYMENT_FAILURES.fleetUnavailable)
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
