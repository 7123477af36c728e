/**
 * Primitives shared by every input of the release and the swap: ids, versions, release kinds,
 * durations, and the one-line validation messages people act on.
 */
import { z } from 'zod';

export const ReleaseKindSchema = z.enum(['minor', 'major']);
export type ReleaseKind = z.infer<typeof ReleaseKindSchema>;

export const IdSchema = z
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

// ---- durations

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

/** Parses "1 day", "20 seconds", "500ms", "1.5h"; undefined when the text is not a duration (or too large to be a number). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[match[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const ms = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(ms) ? ms : undefined;
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

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The range a duration setting accepts, in milliseconds (both ends included). */
export interface DurationRange {
  min: number;
  max: number;
}

/**
 * A duration (text or milliseconds) within a range. Every duration a workflow waits on has one,
 * so no input can ask for a timer Temporal cannot start; the one message says what to write.
 */
export function durationWithin(range: DurationRange) {
  const expected = `a duration between ${describeBound(range.min)} and ${describeBound(range.max)}`;
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value.toString().slice(0, 40))} is not a duration; write a number and a unit, for example "20 seconds", "5 minutes" or "1 day"`,
      });
      return z.NEVER;
    }
    if (!Number.isSafeInteger(ms))
      ctx.addIssue({ code: 'custom', message: `must be ${expected}, in whole milliseconds; ${ms} is not` });
    else if (ms < range.min || ms > range.max)
      ctx.addIssue({
        code: 'custom',
        message: `must be between ${describeBound(range.min)} and ${describeBound(range.max)}; ${describeBound(ms)} is out of range`,
      });
    return ms;
  });
}

/** A range end as people read it: "0", "1s", "30 days". */
export function describeBound(ms: number): string {
  return ms === 0 ? '0' : formatDuration(ms);
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** An elapsed time for people: "850ms", "45s", "2m10s", "1h5m". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes ? `${minutes}m` : ''}`;
  if (minutes > 0) return `${minutes}m${seconds ? `${seconds}s` : ''}`;
  return `${seconds}s`;
}

// ---- validation messages

/**
 * One line per problem, "path: message", for error messages people act on. For a union (such as
 * a duration given as text or milliseconds) it reports the most specific message of the options
 * instead of zod's bare "Invalid input".
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
