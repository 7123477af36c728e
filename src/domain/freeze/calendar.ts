/**
 * The freeze calendar: times when no swap may start (year-end, "never after 16:00 on Fridays").
 * Rules are one-off (`start`/`end`, ISO times) or weekly (`weekdays`, `from`/`to` on a 24-hour
 * clock at a fixed `utcOffset`). No time-zone database: a fixed offset is what workflows can
 * compute deterministically. Each rule yields occurrences; an occurrence's id is
 * `<ruleId>@<start ISO>`, stable, so an override names one occurrence and not the rule.
 */
import { z } from 'zod';
import { IdSchema } from '../primitives';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Rules in one calendar, at most. */
export const MAX_FREEZE_RULES = 200;

const NameSchema = z.string().trim().min(1, 'give the freeze a name, such as "year-end"').max(100);
const IsoTime = (field: string) =>
  z.iso.datetime({ offset: true, message: `${field} must be an ISO time such as "2026-12-23T00:00:00Z"` });
const ClockSchema = (field: string) =>
  z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, `${field} must be a time of day such as "16:00" (00:00 to 24:00)`);

const OneOffRuleSchema = z
  .object({ id: IdSchema, name: NameSchema, start: IsoTime('start'), end: IsoTime('end') })
  .strict()
  .refine((rule) => Date.parse(rule.end) > Date.parse(rule.start), {
    message: 'end must be after start',
    path: ['end'],
  });

const WeeklyRuleSchema = z
  .object({
    id: IdSchema,
    name: NameSchema,
    weekdays: z
      .array(z.enum(WEEKDAYS, { message: `weekdays are ${WEEKDAYS.join(', ')}` }))
      .min(1, 'name at least one weekday, such as ["friday"]'),
    from: ClockSchema('from'),
    to: ClockSchema('to'),
    utcOffset: z
      .string()
      .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'utcOffset must be a fixed offset such as "+01:00" or "-05:00"')
      .default('+00:00'),
  })
  .strict()
  .refine((rule) => minutesOf(rule.to) > minutesOf(rule.from), {
    message: 'to must be later than from on the same day (write two rules for a freeze over midnight)',
    path: ['to'],
  });

export type OneOffFreezeRule = z.output<typeof OneOffRuleSchema>;
export type WeeklyFreezeRule = z.output<typeof WeeklyRuleSchema>;
export type FreezeRule = OneOffFreezeRule | WeeklyFreezeRule;

/** A rule with `weekdays`, `from` or `to` is weekly; any other is one-off. Each gets its own messages. */
const FreezeRuleSchema = z.unknown().transform((value, ctx): FreezeRule => {
  const weekly = typeof value === 'object' && value !== null && ['weekdays', 'from', 'to'].some((key) => key in value);
  const parsed = (weekly ? WeeklyRuleSchema : OneOffRuleSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

export const FreezeCalendarSchema = z
  .object({
    freezes: z.array(FreezeRuleSchema).max(MAX_FREEZE_RULES, `at most ${MAX_FREEZE_RULES} freeze rules`).default([]),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    const seen = new Set<string>();
    calendar.freezes.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({
          code: 'custom',
          message: `id "${rule.id}" is used by another freeze`,
          path: ['freezes', i, 'id'],
        });
      seen.add(rule.id);
    });
  });
export type FreezeCalendar = z.output<typeof FreezeCalendarSchema>;

export const NO_FREEZES: FreezeCalendar = { freezes: [] };

/** One occurrence of a freeze rule, epoch ms; `end` is the first free moment. */
export interface Freeze {
  id: string;
  name: string;
  start: number;
  end: number;
}

export function isWeekly(rule: FreezeRule): rule is WeeklyFreezeRule {
  return 'weekdays' in rule;
}

/** The occurrence in force at `at` (start <= at < end) that is not overridden; the one ending last when several are. */
export function freezeAt(calendar: FreezeCalendar, at: number, overridden?: ReadonlySet<string>): Freeze | undefined {
  let found: Freeze | undefined;
  for (const freeze of occurrencesAround(calendar, at)) {
    if (freeze.start > at || at >= freeze.end || overridden?.has(freeze.id)) continue;
    if (!found || freeze.end > found.end || (freeze.end === found.end && freeze.id < found.id)) found = freeze;
  }
  return found;
}

/** The next occurrence that starts after `after` (not overridden); the earliest, ties by id. */
export function nextFreezeStart(
  calendar: FreezeCalendar,
  after: number,
  overridden?: ReadonlySet<string>,
): Freeze | undefined {
  let found: Freeze | undefined;
  for (const freeze of occurrencesAround(calendar, after)) {
    if (freeze.start <= after || overridden?.has(freeze.id)) continue;
    if (!found || freeze.start < found.start || (freeze.start === found.start && freeze.id < found.id)) found = freeze;
  }
  return found;
}

/** Back-to-back freezes are followed at most this many times (a calendar frozen for ever ends the search). */
const MAX_HOPS = 1_000;

/** Earliest time >= at that is outside every freeze (not overridden); `at` itself when free. */
export function firstFreeMoment(calendar: FreezeCalendar, at: number, overridden?: ReadonlySet<string>): number {
  let moment = at;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const freeze = freezeAt(calendar, moment, overridden);
    if (!freeze) return moment;
    moment = freeze.end;
  }
  return moment;
}

/** `<ruleId>@<start ISO>`: what an override names. */
export function occurrenceId(ruleId: string, start: number): string {
  return `${ruleId}@${new Date(start).toISOString()}`;
}

/**
 * Every one-off occurrence, and the weekly occurrences on the local days from the day before
 * `at` to eight days after it: enough to find the freeze in force and the next one to start.
 */
function occurrencesAround(calendar: FreezeCalendar, at: number): Freeze[] {
  const out: Freeze[] = [];
  for (const rule of calendar.freezes) {
    if (!isWeekly(rule)) {
      const start = Date.parse(rule.start);
      out.push({ id: occurrenceId(rule.id, start), name: rule.name, start, end: Date.parse(rule.end) });
      continue;
    }
    const offset = offsetMs(rule.utcOffset);
    const today = Math.floor((at + offset) / DAY_MS);
    const days = new Set<number>(rule.weekdays.map((day) => WEEKDAYS.indexOf(day)));
    for (let day = today - 1; day <= today + 8; day++) {
      // Day 0 (1970-01-01) was a Thursday.
      if (!days.has((((day + 4) % 7) + 7) % 7)) continue;
      const start = day * DAY_MS + minutesOf(rule.from) * MINUTE_MS - offset;
      const end = day * DAY_MS + minutesOf(rule.to) * MINUTE_MS - offset;
      out.push({ id: occurrenceId(rule.id, start), name: rule.name, start, end });
    }
  }
  return out;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

/** "+01:00" → 3,600,000: local time is UTC plus this. */
function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * minutesOf(offset.slice(1)) * MINUTE_MS;
}
