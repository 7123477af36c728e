/**
 * When the train fires: Day 1 on a weekday at a time of day in a time zone (default Tuesday 09:00
 * UTC), Day 2 and Day 3 one and two stage lengths later. Read from configuration.
 */
import { z } from 'zod';
import { DAY, durationWithin } from '../primitives';
import { STAGE_LENGTH } from '../release/input';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY1_PATTERN = /^\s*([a-z]+)\s+(\d{1,2}):(\d{2})\s*$/i;

/** "tuesday 09:00" → weekday, hour, minute. */
export const Day1Schema = z.string().transform((text, ctx) => {
  const match = DAY1_PATTERN.exec(text);
  const weekday = match?.[1].toLowerCase() as Weekday | undefined;
  const hour = Number(match?.[2]);
  const minute = Number(match?.[3]);
  if (!match || !WEEKDAYS.includes(weekday!) || hour > 23 || minute > 59) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a weekday and time; write for example "tuesday 09:00" (24-hour clock)`,
    });
    return z.NEVER;
  }
  return { weekday: weekday!, hour, minute };
});

export const TimeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone; write for example "UTC" or "Europe/Berlin"' },
);

export const TrainCalendarSchema = z
  .object({
    day1: Day1Schema.default({ weekday: 'tuesday', hour: 9, minute: 0 }),
    timeZone: TimeZoneSchema.default('UTC'),
    stageLength: durationWithin(STAGE_LENGTH).default(DAY),
  })
  .strict();
export type TrainCalendar = z.output<typeof TrainCalendarSchema>;

/** "Tuesday 09:00 UTC". */
export function describeDay1(calendar: TrainCalendar): string {
  const { weekday, hour, minute } = calendar.day1;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${weekday[0].toUpperCase()}${weekday.slice(1)} ${pad(hour)}:${pad(minute)} ${calendar.timeZone}`;
}
