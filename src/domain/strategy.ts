import { z } from 'zod';
import { DurationSchema } from './primitives';

const Fraction = z.number().min(0).max(1);

/** Blue-green and wave settings. Every field is optional; the defaults suit a minor release. */
export const StrategySchema = z
  .object({
    /** Green instances per account; default: the account's instance count in the fleet registry. */
    instances: z.number().int().min(1).max(50).optional(),
    /** Accounts updated at once, per wave. */
    concurrency: z
      .object({
        wave1: z.number().int().min(1).max(1000).default(2),
        wave2: z.number().int().min(1).max(1000).default(10),
      })
      .prefault({}),
    /** Accounts per wave that may roll back or fail before the wave halts and an issue opens. */
    failureBudget: z
      .object({ wave1: z.number().int().min(0).default(0), wave2: z.number().int().min(0).default(1) })
      .prefault({}),
    /** How long every green instance has to become ready. */
    readinessTimeout: DurationSchema.default(120_000),
    /** Smoke requests per use case that must all succeed (core functionality). */
    smokeRequests: z.number().int().min(1).max(100).default(3),
    canary: z
      .object({
        /** Same requests sent to green and blue, spread over the account's use cases. */
        sampleSize: z.number().int().min(1).max(10_000).default(40),
        /** Largest tolerated fraction of compared samples whose values differ. */
        mismatchThreshold: Fraction.default(0.02),
        /** Below this fraction of samples answered by both sides, the canary is inconclusive. */
        minAnsweredFraction: Fraction.default(0.9),
      })
      .prefault({}),
    /** How long on-call has to approve or reject an inconclusive validation before it rolls back. */
    approvalTimeout: DurationSchema.default(3_600_000),
    watch: z
      .object({
        /** How long green is watched after promotion before blue is drained. */
        duration: DurationSchema.default(10_000),
        /** Probe requests per second sent through the router during the watch. */
        probesPerSecond: z.number().min(0.1).max(200).default(10),
        maxErrorRate: Fraction.default(0.02),
        maxP99Ms: z.number().positive().default(250),
      })
      .prefault({}),
    /** How long blue stays warm (running, out of the pool) after the watch passes. */
    keepBlueWarm: DurationSchema.default(5_000),
    /** How long a drained instance may take to finish its in-flight requests before it is stopped. */
    drainTimeout: DurationSchema.default(60_000),
    /**
     * Infrastructure faults (the fleet not answering, a lost worker) are retried by time, never
     * taken for a verdict: these say when they show.
     */
    faults: z
      .object({
        /** How long a step may retry a fault beyond its own duration before the swap shows as stalled (it keeps retrying). */
        stallAfter: DurationSchema.default(30_000).refine(
          (ms) => ms >= 1000 && ms <= 3_600_000,
          'faults.stallAfter must be between 1 second and 1 hour',
        ),
        /** How long a swap may be stalled before its release opens an issue and starts no new swaps. */
        issueAfter: DurationSchema.default(120_000).refine(
          (ms) => ms <= 86_400_000,
          'faults.issueAfter must be at most 1 day',
        ),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type StrategyInput = z.input<typeof StrategySchema>;
export type Strategy = z.output<typeof StrategySchema>;

export function resolveStrategy(input: StrategyInput | undefined): Strategy {
  return StrategySchema.parse(input ?? {});
}
