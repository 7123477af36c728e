import { describeIssues } from '../../../src/domain/primitives';
import {
  firstFreeMoment,
  FreezeCalendarSchema,
  freezeAt,
  nextFreezeStart,
  type FreezeCalendar,
} from '../../../src/domain/freeze/calendar';

const at = (iso: string) => Date.parse(iso);
const calendar = (freezes: unknown[]): FreezeCalendar => FreezeCalendarSchema.parse({ freezes });
function refusal(input: unknown): string {
  const parsed = FreezeCalendarSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the calendar to be refused');
  return describeIssues(parsed.error, 'calendar');
}

const yearEnd = { id: 'year-end', name: 'year-end', start: '2026-12-23T00:00:00Z', end: '2027-01-04T00:00:00Z' };
// 2026-12-04 is a Friday.
const fridays = { id: 'friday-pm', name: 'Friday afternoon', weekdays: ['friday'], from: '16:00', to: '24:00' };

describe('one-off freezes', () => {
  const cal = calendar([yearEnd]);

  test('in force from its start (inclusive) to its end (exclusive), named by a stable occurrence id', () => {
    expect(freezeAt(cal, at('2026-12-22T23:59:59.999Z'))).toBeUndefined();
    expect(freezeAt(cal, at('2026-12-23T00:00:00Z'))).toEqual({
      id: 'year-end@2026-12-23T00:00:00.000Z',
      name: 'year-end',
      start: at('2026-12-23T00:00:00Z'),
      end: at('2027-01-04T00:00:00Z'),
    });
    expect(freezeAt(cal, at('2027-01-04T00:00:00Z'))).toBeUndefined();
  });

  test('the first free moment inside the freeze is its end; outside, the moment itself', () => {
    expect(firstFreeMoment(cal, at('2026-12-30T10:00:00Z'))).toBe(at('2027-01-04T00:00:00Z'));
    expect(firstFreeMoment(cal, at('2026-12-01T10:00:00Z'))).toBe(at('2026-12-01T10:00:00Z'));
  });

  test('the next freeze start is strictly after the given time', () => {
    expect(nextFreezeStart(cal, at('2026-12-01T00:00:00Z'))?.start).toBe(at('2026-12-23T00:00:00Z'));
    expect(nextFreezeStart(cal, at('2026-12-23T00:00:00Z'))).toBeUndefined();
  });

  test('start and end may carry an offset', () => {
    const offset = calendar([{ ...yearEnd, start: '2026-12-23T00:00:00+01:00', end: '2027-01-04T00:00:00+01:00' }]);
    expect(freezeAt(offset, at('2026-12-22T23:00:00Z'))?.id).toBe('year-end@2026-12-22T23:00:00.000Z');
  });
});

describe('weekly freezes', () => {
  test('"never after 16:00 on Fridays" covers Friday 16:00 to midnight UTC, every week', () => {
    const cal = calendar([fridays]);
    expect(freezeAt(cal, at('2026-12-04T15:59:00Z'))).toBeUndefined();
    expect(freezeAt(cal, at('2026-12-04T16:00:00Z'))).toMatchObject({
      id: 'friday-pm@2026-12-04T16:00:00.000Z',
      end: at('2026-12-05T00:00:00Z'),
    });
    expect(freezeAt(cal, at('2026-12-11T23:59:00Z'))?.id).toBe('friday-pm@2026-12-11T16:00:00.000Z');
    expect(freezeAt(cal, at('2026-12-05T00:00:00Z'))).toBeUndefined();
    expect(nextFreezeStart(cal, at('2026-12-05T00:00:00Z'))?.start).toBe(at('2026-12-11T16:00:00Z'));
  });

  test('a fixed utcOffset moves the local day and hours', () => {
    const cal = calendar([{ ...fridays, utcOffset: '+01:00' }]);
    // Friday 16:00 at +01:00 is 15:00 UTC; local midnight is 23:00 UTC.
    expect(freezeAt(cal, at('2026-12-04T15:00:00Z'))?.start).toBe(at('2026-12-04T15:00:00Z'));
    expect(freezeAt(cal, at('2026-12-04T23:00:00Z'))).toBeUndefined();
    const west = calendar([{ ...fridays, from: '20:00', to: '24:00', utcOffset: '-05:00' }]);
    // Friday 20:00 at -05:00 is Saturday 01:00 UTC.
    expect(freezeAt(west, at('2026-12-05T01:00:00Z'))?.id).toBe('friday-pm@2026-12-05T01:00:00.000Z');
    expect(freezeAt(west, at('2026-12-04T21:00:00Z'))).toBeUndefined();
  });

  test('back-to-back freezes chain: the first free moment is after the last of them', () => {
    const cal = calendar([
      fridays,
      { id: 'weekend', name: 'weekend', weekdays: ['saturday', 'sunday'], from: '00:00', to: '24:00' },
    ]);
    expect(firstFreeMoment(cal, at('2026-12-04T17:00:00Z'))).toBe(at('2026-12-07T00:00:00Z'));
  });
});

describe('overrides', () => {
  test('an overridden occurrence does not hold, the next week still does', () => {
    const cal = calendar([fridays]);
    const overridden = new Set(['friday-pm@2026-12-04T16:00:00.000Z']);
    expect(freezeAt(cal, at('2026-12-04T17:00:00Z'), overridden)).toBeUndefined();
    expect(firstFreeMoment(cal, at('2026-12-04T17:00:00Z'), overridden)).toBe(at('2026-12-04T17:00:00Z'));
    expect(freezeAt(cal, at('2026-12-11T17:00:00Z'), overridden)?.id).toBe('friday-pm@2026-12-11T16:00:00.000Z');
  });

  test('an overlapping freeze that is not overridden still holds', () => {
    const cal = calendar([yearEnd, fridays]);
    const overridden = new Set(['year-end@2026-12-23T00:00:00.000Z']);
    expect(freezeAt(cal, at('2026-12-25T17:00:00Z'), overridden)?.name).toBe('Friday afternoon');
    expect(freezeAt(cal, at('2026-12-25T17:00:00Z'))?.name).toBe('year-end');
  });
});

describe('calendar validation', () => {
  test('an empty file means no freezes', () => {
    expect(FreezeCalendarSchema.parse({})).toEqual({ freezes: [] });
  });

  test('what is parsed reads back the same (kept in the release status)', () => {
    const cal = calendar([yearEnd, fridays]);
    expect(FreezeCalendarSchema.parse(cal)).toEqual(cal);
    expect(cal.freezes[1]).toMatchObject({ utcOffset: '+00:00' });
  });

  test.each([
    [{ freezes: [{ ...yearEnd, end: yearEnd.start }] }, 'freezes.0.end: end must be after start'],
    [{ freezes: [{ ...yearEnd, start: 'Dec 23' }] }, 'freezes.0.start: start must be an ISO time'],
    [{ freezes: [{ ...fridays, weekdays: ['fri'] }] }, 'freezes.0.weekdays.0: weekdays are sunday, monday'],
    [{ freezes: [{ ...fridays, weekdays: [] }] }, 'name at least one weekday'],
    [{ freezes: [{ ...fridays, from: '4pm' }] }, 'freezes.0.from: from must be a time of day such as "16:00"'],
    [{ freezes: [{ ...fridays, from: '22:00', to: '02:00' }] }, 'freezes.0.to: to must be later than from'],
    [{ freezes: [{ ...fridays, utcOffset: 'Europe/Paris' }] }, 'utcOffset must be a fixed offset'],
    [{ freezes: [yearEnd, { ...fridays, id: 'year-end' }] }, 'freezes.1.id: id "year-end" is used by another'],
    [{ freezes: [{ ...yearEnd, name: ' ' }] }, 'give the freeze a name'],
    [{ freezes: [{ ...yearEnd, until: 'x' }] }, 'freezes.0: Unrecognized key: "until"'],
    [{ freezs: [] }, 'Unrecognized key: "freezs"'],
  ])('refuses %j with a message that says what to fix', (input, message) => {
    expect(refusal(input)).toContain(message);
  });
});
