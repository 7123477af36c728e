/**
 * The input rules as they were before every duration and number got a range (and nested
 * settings became strict), frozen. Only runs started before the ranges read their input with
 * these, so they replay the commands they recorded (see src/workflows/input-rules.ts). Do not
 * change; delete once no run started before the ranges is open. Built on first use: every
 * workflow evaluates the bundle's modules when it starts, and almost none needs these.
 */
import { z } from 'zod';
import { IdSchema, parseDuration, ReleaseKindSchema, VersionSchema } from './primitives';

function build() {
  const Duration = z.union([
    z.number().int().nonnegative(),
    z.string().transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text.slice(0, 40))} is not a duration` });
        return z.NEVER;
      }
      return ms;
    }),
  ]);
  const Fraction = z.number().min(0).max(1);

  const Strategy = z
    .object({
      instances: z.number().int().min(1).max(50).optional(),
      concurrency: z
        .object({
          wave1: z.number().int().min(1).max(1000).default(2),
          wave2: z.number().int().min(1).max(1000).default(10),
        })
        .prefault({}),
      failureBudget: z
        .object({ wave1: z.number().int().min(0).default(0), wave2: z.number().int().min(0).default(1) })
        .prefault({}),
      readinessTimeout: Duration.default(120_000),
      smokeRequests: z.number().int().min(1).max(100).default(3),
      canary: z
        .object({
          sampleSize: z.number().int().min(1).max(10_000).default(40),
          mismatchThreshold: Fraction.default(0.02),
          minAnsweredFraction: Fraction.default(0.9),
        })
        .prefault({}),
      approvalTimeout: Duration.default(3_600_000),
      watch: z
        .object({
          duration: Duration.default(10_000),
          probesPerSecond: z.number().min(0.1).max(200).default(10),
          maxErrorRate: Fraction.default(0.02),
          maxP99Ms: z.number().positive().default(250),
        })
        .prefault({}),
      keepBlueWarm: Duration.default(5_000),
      drainTimeout: Duration.default(60_000),
    })
    .strict()
    // Settings added after the ranges did not exist for these runs: today's code reads their defaults.
    .transform((strategy) => ({ ...strategy, faults: { stallAfter: 30_000, issueAfter: 120_000 } }));

  const stagedReleaseInput = z
    .object({
      releaseId: IdSchema,
      version: VersionSchema,
      kind: ReleaseKindSchema.default('minor'),
      notes: z.array(z.string().max(500)).max(100).default([]),
      accounts: z.array(IdSchema).min(1).max(20_000).optional(),
      schedule: z
        .object({
          startAt: z.iso.datetime({ offset: true }).optional(),
          stageLength: Duration.default(86_400_000).refine((ms) => ms >= 1000),
        })
        .strict()
        .prefault({}),
      strategy: Strategy.prefault({}),
    })
    .strict();

  const blueGreenInput = z
    .object({
      accountId: IdSchema,
      version: VersionSchema,
      kind: ReleaseKindSchema.default('minor'),
      releaseId: IdSchema.optional(),
      strategy: Strategy.prefault({}),
    })
    .strict()
    // Reverts came after the ranges: every run before them was an upgrade.
    .transform((input) => ({ ...input, mode: 'upgrade' as const }));
  return { stagedReleaseInput, blueGreenInput };
}

let built: ReturnType<typeof build> | undefined;

/** The rules of `stagedRelease` input before the ranges. */
export function stagedReleaseInputBeforeRanges() {
  return (built ??= build()).stagedReleaseInput;
}

/** The rules of `blueGreenDeployment` input before the ranges. */
export function blueGreenInputBeforeRanges() {
  return (built ??= build()).blueGreenInput;
}
