/**
 * Failure classification: what an error thrown by a step means for the swap. Business stops
 * (SwapStop), cancellations, refusals before anything was touched, and failures of something
 * tried, with the evidence they carry (the failed check's report, when the watch saw the breach).
 */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
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
