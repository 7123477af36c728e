import { msUntil, scheduleMarks, waveTwoNotBefore } from '../../../src/domain/release/schedule';
import { budgetExceeded, planWaves, waveBudget, waveConcurrency } from '../../../src/domain/release/waves';
import { resolveStrategy } from '../../../src/domain/strategy';

const DAY = 86_400_000;
const start = Date.parse('2026-11-23T09:00:00Z');

describe('schedule marks', () => {
  test('Day 2 is one stage after startAt and Day 3 two stages after', () => {
    expect(scheduleMarks({ startAt: start, stageLength: DAY })).toEqual({
      day1: start,
      day2: start + DAY,
      day3: start + 2 * DAY,
    });
    expect(scheduleMarks({ startAt: start, stageLength: 20_000 }).day3).toBe(start + 40_000);
  });

  test('wave 2 waits for Day 3 and for a full stage after the last wave-1 deployment', () => {
    const schedule = { startAt: start, stageLength: DAY };
    expect(waveTwoNotBefore(schedule, undefined)).toBe(start + 2 * DAY);
    expect(waveTwoNotBefore(schedule, start + 3_600_000)).toBe(start + 2 * DAY);
    // A patch re-released to wave 1 on Day 2 at 10:00 pushes wave 2 to Day 3 10:00.
    expect(waveTwoNotBefore(schedule, start + DAY + 3_600_000)).toBe(start + 2 * DAY + 3_600_000);
  });

  test('msUntil never goes negative', () => {
    expect(msUntil(start + 5, start)).toBe(5);
    expect(msUntil(start - 5, start)).toBe(0);
  });
});

describe('wave planning', () => {
  const registry = [
    { accountId: 'acme', earlyAccess: true },
    { accountId: 'hooli', earlyAccess: false },
    { accountId: 'globex', earlyAccess: true },
  ];

  test('early-access accounts are wave 1, every other account wave 2', () => {
    expect(planWaves(registry)).toEqual({
      accounts: [
        { accountId: 'acme', wave: 1 },
        { accountId: 'hooli', wave: 2 },
        { accountId: 'globex', wave: 1 },
      ],
      unknown: [],
    });
  });

  test('a list of accounts narrows the release, keeps registry opt-ins and reports unknown ids', () => {
    expect(planWaves(registry, ['hooli', 'globex', 'hooli', 'nobody'])).toEqual({
      accounts: [
        { accountId: 'hooli', wave: 2 },
        { accountId: 'globex', wave: 1 },
      ],
      unknown: ['nobody'],
    });
  });
});

describe('failure budget', () => {
  test('a wave halts only when failures exceed its budget', () => {
    expect(budgetExceeded(0, 0)).toBe(false);
    expect(budgetExceeded(1, 0)).toBe(true);
    expect(budgetExceeded(1, 1)).toBe(false);
    expect(budgetExceeded(2, 1)).toBe(true);
  });

  test('budgets and concurrency come from the strategy per wave (defaults: wave 1 none and 2 at once, wave 2 one and 10 at once)', () => {
    const strategy = resolveStrategy({});
    expect([waveBudget(strategy, 1), waveBudget(strategy, 2)]).toEqual([0, 1]);
    expect([waveConcurrency(strategy, 1), waveConcurrency(strategy, 2)]).toEqual([2, 10]);
  });
});
