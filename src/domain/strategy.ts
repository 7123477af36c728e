import { z } from 'zod';
import { DAY, durationWithin, HOUR, SECOND, type DurationRange } from './primitives';

const Fraction = z.number().min(0).max(1);

/** The most accounts a release takes (see StagedReleaseInputSchema); a failure budget beyond it means "never halt". */
export const MAX_ACCOUNTS = 20_000;

/**
 * The range of every duration of the strategy, in milliseconds. Each bounds a timer or an
 * activity timeout of the swap; the drain timeout is what the fleet's drain API accepts.
 */
export const STRATEGY_DURATIONS = {
  readinessTimeout: { min: SECOND, max: HOUR },
  approvalTimeout: { min: 0, max: 7 * DAY },
  watchDuration: { min: SECOND, max: DAY },
  keepBlueWarm: { min: 0, max: DAY },
  drainTimeout: { min: 0, max: HOUR },
  stallAfter: { min: SECOND, max: HOUR },
  issueAfter: { min: 0, max: DAY },
  announceAhead: { min: 0, max: 90 * DAY },
} as const satisfies Record<string, DurationRange>;

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
      .strict()
      .prefault({}),
    /** Accounts per wave that may roll back or fail before the wave halts and an issue opens. */
    failureBudget: z
      .object({
        wave1: z.number().int().min(0).max(MAX_ACCOUNTS).default(0),
        wave2: z.number().int().min(0).max(MAX_ACCOUNTS).default(1),
      })
      .strict()
      .prefault({}),
    /** How long every green instance has to become ready. */
    readinessTimeout: durationWithin(STRATEGY_DURATIONS.readinessTimeout).default(120_000),
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
      .strict()
      .prefault({}),
    /**
     * The regression run of the pre-release validation (wave 0): the same sample to the internal
     * account's current version and the new one; the new one fails past these thresholds.
     */
    regression: z
      .object({
        /** Requests of the sample workload sent to each version. */
        requests: z.number().int().min(10).max(10_000).default(200),
        /** How much higher the new version's error rate may be (0.01: one percentage point). */
        maxErrorRateIncrease: Fraction.default(0.01),
        /** Largest tolerated ratio of the new version's p50 latency to the current one's. */
        maxP50Ratio: z.number().min(1).max(100).default(1.5),
        /** Largest tolerated ratio of the new version's p99 latency to the current one's. */
        maxP99Ratio: z.number().min(1).max(100).default(2),
        /** A latency within this many ms of the current one's always passes (tiny latencies jitter by whole ratios). */
        latencySlackMs: z.number().min(0).max(60_000).default(50),
      })
      .strict()
      .prefault({}),
    /** How long on-call has to approve or reject an inconclusive validation before it rolls back (0: roll back at once). */
    approvalTimeout: durationWithin(STRATEGY_DURATIONS.approvalTimeout).default(3_600_000),
    watch: z
      .object({
        /** How long green is watched after promotion before blue is drained. */
        duration: durationWithin(STRATEGY_DURATIONS.watchDuration).default(10_000),
        /** Probe requests per second sent through the router during the watch. */
        probesPerSecond: z.number().min(0.1).max(200).default(10),
        maxErrorRate: Fraction.default(0.02),
        maxP99Ms: z.number().positive().max(60_000).default(250),
      })
      .strict()
      .prefault({}),
    /** How long blue stays warm (running, out of the pool) after the watch passes. */
    keepBlueWarm: durationWithin(STRATEGY_DURATIONS.keepBlueWarm).default(5_000),
    /** A major upgrade: how long before an account's swap its maintenance window must have been announced. */
    announceAhead: durationWithin(STRATEGY_DURATIONS.announceAhead).default(7 * DAY),
    /** How long a drained instance may take to finish its in-flight requests before it is stopped. */
    drainTimeout: durationWithin(STRATEGY_DURATIONS.drainTimeout).default(60_000),
    /**
     * Infrastructure faults (the fleet not answering, a lost worker) are retried by time, never
     * taken for a verdict: these say when they show.
     */
    faults: z
      .object({
        /** How long a step may retry a fault beyond its own duration before the swap shows as stalled (it keeps retrying). */
        stallAfter: durationWithin(STRATEGY_DURATIONS.stallAfter).default(30_000),
        /** How long a swap may be stalled before its release opens an issue and starts no new swaps. */
        issueAfter: durationWithin(STRATEGY_DURATIONS.issueAfter).default(120_000),
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
