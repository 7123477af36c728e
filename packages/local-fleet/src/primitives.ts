/**
 * The few primitives the fleet's inputs share: account ids, versions, durations, and one-line
 * validation messages. The package's own copy, so it depends on nothing of the orchestrator.
 */
import { z } from 'zod';

export const AccountIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" only, starting with a letter or digit');

export const VersionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9.+_-]*$/,
    'a version is letters, digits, ".", "+", "_" and "-", for example "2026.47.1"',
  );

const UNIT_MS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i;

/** Parses "1 day", "20 seconds", "500ms", "1.5h"; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[match[2].toLowerCase()];
  if (unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** A duration given as text ("20 seconds") or milliseconds, parsed to milliseconds. */
export const DurationSchema = z.union([
  z.number().int().nonnegative(),
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(text.slice(0, 40))} is not a duration; write a number and a unit, for example "20 seconds", "5 minutes" or "1 day"`,
      });
      return z.NEVER;
    }
    return ms;
  }),
]);

/**
 * One line per problem, "path: message". For a union (such as a duration given as text or
 * milliseconds) it reports the most specific message of the options instead of zod's bare
 * "Invalid input".
 */
export function describeIssues(error: z.ZodError, root = 'input'): string {
  return error.issues
    .map((issue) => describeIssue(issue, []))
    .map(([path, message]) => `${path.length ? path.join('.') : root}: ${message}`)
    .join('; ');
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, prefix: PropertyKey[]): [PropertyKey[], string] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Prefer an option whose failure is more than a type mismatch (e.g. a custom "not a duration").
    const candidates = issue.errors.flat();
    const specific = candidates.find((inner) => inner.code !== 'invalid_type') ?? candidates[0];
    if (specific) return describeIssue(specific, path);
  }
  return [path, issue.message];
}
