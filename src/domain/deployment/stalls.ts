/**
 * Stalls of a swap: a step whose activity kept failing on an infrastructure fault for its whole
 * time budget is shown as stalled and called again; it never rolls back for that. The swap tells
 * its release (SwapStallReport) when it stalls, once more when the stall passes the release's
 * issue threshold, and when it gets going again.
 */
import { z } from 'zod';
import { IdSchema, VersionSchema } from '../primitives';
import type { SwapEvent } from './events';
import type { Stall, StepName, SwapStatus } from './status';
import type { Transition } from './transitions';

export interface StallInput {
  step: StepName;
  activity: string;
  /** Since when the step could not make progress, as far as this budget knows; a continuing stall keeps its first. */
  since: number;
  cause: string;
  detail: string;
}

/** A step's time budget ran out on an infrastructure fault: the swap shows it, and tries again. */
export const swapStalled: Transition<StallInput> = (status, input, now) => {
  const first = status.stall === undefined;
  const stall: Stall = { ...input, since: status.stall?.since ?? Math.min(input.since, now), checkedAt: now };
  const events: SwapEvent[] = [{ type: 'stalled', stall, first }];
  return { status: { ...status, stall }, events };
};

/** The stalled step got through. */
export const swapRecovered: Transition<Record<string, never>> = (status, _input, now) => {
  const stall = status.stall;
  if (!stall) return { status, events: [] };
  const { stall: _, ...rest } = status;
  return {
    status: rest,
    events: [
      {
        type: 'recovered',
        step: stall.step,
        activity: stall.activity,
        since: stall.since,
        stalledForMs: now - stall.since,
      },
    ],
  };
};

// ---- what the swap tells its release

/** A swap's report to its release: stalled (with how long, as of now), or recovered. */
export const SwapStallReportSchema = z
  .object({
    accountId: IdSchema,
    version: VersionSchema,
    stalled: z.boolean(),
    step: z.string().min(1).max(40),
    /** Since when (epoch ms). */
    since: z.number().int().nonnegative(),
    stalledForMs: z.number().int().nonnegative(),
    cause: z.string().max(100),
    detail: z.string().max(500),
  })
  .strict();
export type SwapStallReport = z.infer<typeof SwapStallReportSchema>;

/** The report of a stall as the status holds it, or of its end. */
export function stallReport(status: SwapStatus, stall: Stall, stalled: boolean, now: number): SwapStallReport {
  return {
    accountId: status.accountId,
    version: status.version,
    stalled,
    step: stall.step,
    since: stall.since,
    stalledForMs: Math.max(0, now - stall.since),
    cause: stall.cause.slice(0, 100),
    detail: stall.detail.slice(0, 500),
  };
}
