import type { z } from 'zod';

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
