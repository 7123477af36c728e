/**
 * Where the worker's freeze calendar comes from: the JSON file named by FREEZE_CALENDAR, read
 * again at every look-up (a freeze added to the file is honoured by running releases at their
 * next wave, without restarting the worker), or no freezes when the variable is unset.
 */
import { readFile } from 'node:fs/promises';
import { describeIssues } from '../domain/primitives';
import { FreezeCalendarSchema, NO_FREEZES, type FreezeCalendar } from '../domain/freeze/calendar';
import { ConfigError } from './env';

export type FreezeCalendarSource = () => Promise<FreezeCalendar>;

export function freezeCalendarSource(path: string | undefined): FreezeCalendarSource {
  if (path === undefined) return () => Promise.resolve(NO_FREEZES);
  return () => readFreezeCalendarFile(path);
}

/** The calendar in the file; ConfigError saying what to fix when it cannot be read or is not a calendar. */
export async function readFreezeCalendarFile(path: string): Promise<FreezeCalendar> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`FREEZE_CALENDAR: cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`FREEZE_CALENDAR: ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = FreezeCalendarSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`FREEZE_CALENDAR: ${path}: ${describeIssues(parsed.error, 'calendar')}`);
  return parsed.data;
}
