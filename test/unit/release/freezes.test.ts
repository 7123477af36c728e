import { FreezeCalendarSchema } from '../../../src/domain/freeze/calendar';
import { carry, readCarried } from '../../../src/domain/release/carried';
import { renderWaveTable } from '../../../src/domain/release/details';
import {
  enterFreeze,
  freezeCalendarRead,
  freezeInForce,
  leaveFreeze,
  nextFreeze,
} from '../../../src/domain/release/freezes';
import { applyMessage, checkMessage, MessageRejected, parseMessage } from '../../../src/domain/release/messages';
import { statusOverview } from '../../../src/domain/release/overview';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import { deepFreeze, Driver, plannedRelease, T0 } from './support';

const HOUR = 3_600_000;
// T0 is Monday 2026-11-23T09:00Z; the freeze runs 10:00 to 14:00 that day.
const CALENDAR = FreezeCalendarSchema.parse({
  freezes: [{ id: 'db-migration', name: 'db migration', start: '2026-11-23T10:00:00Z', end: '2026-11-23T14:00:00Z' }],
});
const FREEZE_ID = 'db-migration@2026-11-23T10:00:00.000Z';

function withCalendar(): Driver {
  const driver = new Driver(plannedRelease());
  driver.apply((status) => freezeCalendarRead(status, CALENDAR, T0));
  return driver;
}

function overrideRefusal(
  status: ReleaseStatus,
  now: number,
  payload: unknown = { reason: 'hotfix' },
): string | undefined {
  try {
    checkMessage(status, parseMessage('overrideFreeze', payload), now);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MessageRejected);
    return (error as Error).message;
  }
}

describe('a release and its freeze calendar', () => {
  test('reading a calendar with freezes is recorded in the timeline; reading the same one again is not', () => {
    const driver = withCalendar();
    expect(driver.events.map((e) => e.type)).toEqual(['freeze-calendar-read']);
    expect(driver.status.timeline.entries.at(-1)).toMatchObject({
      event: 'freeze calendar read',
      detail: '1 freeze(s): db migration',
    });
    driver.apply((status) => freezeCalendarRead(status, CALENDAR, T0 + HOUR));
    expect(driver.events).toHaveLength(1);
    expect(driver.status.freeze?.readAt).toBe(T0 + HOUR);
  });

  test('an empty calendar keeps the timeline quiet but is kept in the status', () => {
    const driver = new Driver(plannedRelease());
    driver.apply((status) => freezeCalendarRead(status, { freezes: [] }, T0));
    expect(driver.events).toEqual([]);
    expect(driver.status.freeze).toMatchObject({ calendar: { freezes: [] }, overrides: [] });
  });

  test('entering and leaving a freeze: "waiting: freeze X until ..." and then "over" once it ended', () => {
    const driver = withCalendar();
    expect(freezeInForce(driver.status, T0)).toBeUndefined();
    expect(nextFreeze(driver.status, T0)?.id).toBe(FREEZE_ID);
    const freeze = freezeInForce(driver.status, T0 + 2 * HOUR)!;
    driver.apply((status) => enterFreeze(deepFreeze(status), freeze, T0 + 2 * HOUR));
    driver.apply((status) => enterFreeze(status, freeze, T0 + 3 * HOUR)); // the same freeze: nothing new
    expect(driver.status.freeze?.waitingOn?.id).toBe(FREEZE_ID);
    expect(statusOverview(driver.status).freeze?.waitingOn).toMatchObject({
      name: 'db migration',
      until: '2026-11-23T14:00:00.000Z',
      summary: 'freeze "db migration" until 2026-11-23T14:00:00.000Z',
    });
    expect(renderWaveTable(driver.status)).toContain(
      '❄ waiting: freeze "db migration" until 2026-11-23T14:00:00.000Z; no new swap starts (overrideFreeze to go on)',
    );
    driver.apply((status) => leaveFreeze(status, T0 + 5 * HOUR));
    expect(renderWaveTable(driver.status)).not.toContain('waiting: freeze');
    expect(driver.events.map((e) => e.type)).toEqual(['freeze-calendar-read', 'freeze-entered', 'freeze-left']);
    expect(driver.status.timeline.entries.map((e) => e.event).slice(-2)).toEqual([
      'waiting: freeze "db migration" until 2026-11-23T14:00:00.000Z',
      'freeze "db migration" over: swaps start again',
    ]);
    expect(statusOverview(driver.status).freeze?.waitingOn).toBeUndefined();
  });

  test('a wave that stops while waiting no longer waits on the freeze, and says so', () => {
    const driver = withCalendar();
    driver.apply((status) => enterFreeze(status, freezeInForce(status, T0 + 2 * HOUR)!, T0 + 2 * HOUR));
    driver.apply((status) => leaveFreeze(status, T0 + 2 * HOUR));
    expect(driver.events.at(-1)).toMatchObject({ type: 'freeze-left', by: 'wave-stopped' });
  });
});

describe('overrideFreeze', () => {
  test('needs a reason', () => {
    expect(overrideRefusal(withCalendar().status, T0 + 2 * HOUR, {})).toMatch(/^overrideFreeze: reason: /);
    expect(overrideRefusal(withCalendar().status, T0 + 2 * HOUR, { reason: '  ' })).toMatch(/give a reason/);
  });

  test('is refused when no freeze is in force or begins within the hour, naming the next one', () => {
    expect(overrideRefusal(withCalendar().status, T0 - HOUR)).toBe(
      'overrideFreeze: no freeze is in force for release 2026-47 or begins within the hour (next: freeze "db migration" at 2026-11-23T10:00:00.000Z); nothing to override',
    );
    expect(overrideRefusal(withCalendar().status, T0 + 6 * HOUR)).toMatch(
      /no freeze is in force .*; nothing to override$/,
    );
    expect(overrideRefusal(plannedRelease(), T0)).toMatch(/no freeze is in force/);
  });

  test('overrides the freeze in force: recorded, and the freeze holds no more', () => {
    const driver = withCalendar();
    const now = T0 + 2 * HOUR;
    driver.apply((status) => enterFreeze(status, freezeInForce(status, now)!, now));
    expect(overrideRefusal(driver.status, now)).toBeUndefined();
    const message = parseMessage('overrideFreeze', { reason: 'security fix CVE-1' });
    driver.apply((status) => applyMessage(deepFreeze(status), message, now, 'update'));
    expect(driver.status.freeze?.overrides).toEqual([
      { freezeId: FREEZE_ID, name: 'db migration', reason: 'security fix CVE-1', at: now },
    ]);
    expect(freezeInForce(driver.status, now)).toBeUndefined();
    driver.apply((status) => leaveFreeze(status, now));
    expect(driver.status.timeline.entries.map((e) => [e.event, e.detail]).slice(-2)).toEqual([
      ['freeze "db migration" overridden (update)', 'security fix CVE-1'],
      ['freeze "db migration" overridden: swaps start again', FREEZE_ID],
    ]);
    expect(overrideRefusal(driver.status, now)).toMatch(/no freeze is in force/);
  });

  test('overrides a freeze about to begin (within the hour)', () => {
    const driver = withCalendar();
    const message = parseMessage('overrideFreeze', { reason: 'finish the hotfix' });
    expect(overrideRefusal(driver.status, T0 + 30 * 60_000)).toBeUndefined();
    driver.apply((status) => applyMessage(status, message, T0 + 30 * 60_000, 'signal'));
    expect(freezeInForce(driver.status, T0 + 2 * HOUR)).toBeUndefined();
  });
});

test('the freeze state is carried across continue-as-new; a status without it (older releases) still reads', () => {
  const driver = withCalendar();
  driver.apply((status) => enterFreeze(status, freezeInForce(status, T0 + 2 * HOUR)!, T0 + 2 * HOUR));
  const read = readCarried(JSON.parse(JSON.stringify(carry(driver.status))));
  expect(read.freeze).toEqual(driver.status.freeze);
  expect(readCarried(JSON.parse(JSON.stringify(carry(plannedRelease())))).freeze).toBeUndefined();
});
