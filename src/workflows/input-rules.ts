/**
 * Reading a workflow's input with today's rules, and a run started before the input ranges with
 * the rules of its time: its history has no marker of this change, so it reads its input as it
 * did then and replays the commands it recorded instead of failing on replay. A run that starts
 * now with an input out of range records the marker and fails with InvalidInput.
 */
import { patched } from '@temporalio/workflow';
import type { z } from 'zod';

export const INPUT_RANGES_PATCH = 'input-ranges';

export function parseWithRanges<S extends z.ZodType>(
  input: unknown,
  schema: S,
  before: () => z.ZodType,
): ReturnType<S['safeParse']> {
  const parsed = schema.safeParse(input) as ReturnType<S['safeParse']>;
  if (parsed.success || patched(INPUT_RANGES_PATCH)) return parsed;
  const earlier = before().safeParse(input);
  return (earlier.success ? earlier : parsed) as ReturnType<S['safeParse']>;
}
