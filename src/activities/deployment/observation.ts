/**
 * The time a waiting activity (readiness wait, watch, drain) could actually see the fleet. Time
 * during which the control plane did not answer, or the router could not be reached at all, does
 * not count toward the activity's own duration: the wait is extended instead of judging green on
 * what it could not see. The state travels in heartbeat details, so a retry after a worker crash,
 * or a new call after the step's time budget ran out, goes on from it.
 */
import { z } from 'zod';
import type { Blindness } from '../../domain/deployment/activities';
import { FleetError } from '../../platform/provider';
import { BlindnessSchema, toFailure } from './support';

export const ObservationSchema = z.object({
  observedMs: z.number().nonnegative(),
  unobservedMs: z.number().nonnegative().default(0),
  blind: BlindnessSchema.optional(),
});
export type ObservationState = z.infer<typeof ObservationSchema>;

/** How often a blind activity asks the fleet again. */
export const BLIND_RETRY_MS = 1000;

export class Observation {
  observedMs: number;
  unobservedMs: number;
  blind?: Blindness;
  private lastTick = Date.now();

  constructor(resumed?: ObservationState) {
    this.observedMs = resumed?.observedMs ?? 0;
    this.unobservedMs = resumed?.unobservedMs ?? 0;
    if (resumed?.blind) this.blind = resumed.blind;
  }

  /** The fleet was seen: the time since the last tick counts. Returns the blindness that just ended, if any. */
  seen(now = Date.now()): Blindness | undefined {
    this.observedMs += now - this.lastTick;
    this.lastTick = now;
    const ended = this.blind;
    this.blind = undefined;
    return ended;
  }

  /** The fleet could not be seen: the time since the last tick does not count. */
  missed(cause: string, detail: string, now = Date.now()): void {
    this.unobservedMs += now - this.lastTick;
    this.blind = { since: this.blind?.since ?? this.lastTick, cause, detail };
    this.lastTick = now;
  }

  state(): ObservationState {
    return {
      observedMs: this.observedMs,
      unobservedMs: this.unobservedMs,
      ...(this.blind ? { blind: { ...this.blind } } : {}),
    };
  }
}

/**
 * Calls the fleet; a retryable failure (no answer, 5xx, 408, 429) comes back as `unreachable`
 * with its message instead of failing the activity, every other one fails it (see toFailure).
 */
export async function unlessUnreachable<T>(
  what: string,
  call: () => Promise<T>,
  nonRetryableType?: string,
): Promise<{ value: T } | { unreachable: string }> {
  try {
    return { value: await call() };
  } catch (error) {
    if (error instanceof FleetError && error.retryable) return { unreachable: `${what}: ${error.message}` };
    throw toFailure(error, what, nonRetryableType);
  }
}

/** Parses what an earlier attempt or call left (heartbeat details, or `resume`); anything else starts afresh. */
export function resumedFrom<S extends z.ZodType>(schema: S, ...candidates: unknown[]): z.output<S> | undefined {
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null) continue;
    const parsed = schema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
