/**
 * The constants a release decides with (when to continue as new), kept in the release's status
 * so that editing them changes only releases started afterwards. A running release carries the
 * values it started with through every continue-as-new; a worker deployed with other values
 * replays and goes on with the old ones, so it makes the same decisions as the build before it.
 */
import { z } from 'zod';

export interface DecisionLimits {
  /** Events one account deployment may add to a run's history (child start/started/closed, hold/release signals, task events). */
  eventsPerDeployment: number;
  /** A run continues as new well before Temporal's 10,000-event warning (in-flight children finish first). */
  historySoftLimit: number;
}

/** Today's values: every release started from now on records these. Edit freely; running releases keep theirs. */
export const DECISION_LIMITS: DecisionLimits = { eventsPerDeployment: 8, historySoftLimit: 7_000 };

/**
 * The values of every release started before the limits lived in the status (and of runs whose
 * history has no decision-limits marker). Never edit: such releases replay with exactly these.
 */
export const DECISION_LIMITS_BEFORE_STATUS: DecisionLimits = Object.freeze({
  eventsPerDeployment: 8,
  historySoftLimit: 7_000,
});

export const DecisionLimitsSchema = z.object({
  eventsPerDeployment: z.number().int().min(1).max(1_000),
  historySoftLimit: z.number().int().min(100).max(50_000),
}) satisfies z.ZodType<DecisionLimits>;

/** The limits a release decides with: its own, or those of the code before they were kept. */
export function limitsOf(status: { limits?: DecisionLimits }): DecisionLimits {
  return status.limits ?? DECISION_LIMITS_BEFORE_STATUS;
}

/** True when starting one more deployment (beside `inFlight` others) could take a run's history past its limit. */
export function historyWouldOverflow(limits: DecisionLimits, historyLength: number, inFlight: number): boolean {
  return historyLength + (inFlight + 1) * limits.eventsPerDeployment > limits.historySoftLimit;
}
