import { z } from 'zod';

/**
 * Faults injected per version. Each one is caught by exactly one check of the blue-green swap,
 * so every rollback path can be exercised for real:
 *
 * | fault                    | what the instance does                                  | caught by                       |
 * |--------------------------|---------------------------------------------------------|---------------------------------|
 * | `fails-to-start`         | crashes half-way through initialization (state failed)  | provision / initialization      |
 * | `never-ready`            | stays alive but its readiness never turns true          | initialization (readiness wait) |
 * | `wrong-values`           | serves different values for `fraction` of the entities  | canary (green vs blue)          |
 * | `errors-after-promotion` | once in a pool, answers 500 to `rate` of the requests   | post-promotion watch (errors)   |
 * | `slow-after-promotion`   | once in a pool, adds `delayMs` to every request          | post-promotion watch (latency)  |
 * | `errors`                 | from its start, answers 500 to `rate` of the requests     | wave-0 regression run (errors)  |
 * | `slow`                   | from its start, adds `delayMs` to every request           | wave-0 regression run (latency) |
 */
export const FAULT_TYPES = [
  'fails-to-start',
  'never-ready',
  'wrong-values',
  'errors-after-promotion',
  'slow-after-promotion',
  'errors',
  'slow',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

const Fraction = z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1');

export const FaultSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('fails-to-start') }).strict(),
    z.object({ type: z.literal('never-ready') }).strict(),
    z.object({ type: z.literal('wrong-values'), fraction: Fraction.default(0.3) }).strict(),
    z.object({ type: z.literal('errors-after-promotion'), rate: Fraction.default(0.5) }).strict(),
    z
      .object({ type: z.literal('slow-after-promotion'), delayMs: z.number().int().min(1).max(60_000).default(400) })
      .strict(),
    z.object({ type: z.literal('errors'), rate: Fraction.default(0.5) }).strict(),
    z.object({ type: z.literal('slow'), delayMs: z.number().int().min(1).max(60_000).default(400) }).strict(),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `fault type must be one of ${FAULT_TYPES.join(', ')}` : undefined,
  },
);

export type Fault = z.output<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;
