import { StagedReleaseInputSchema } from '../../../src/domain/release/input';
import { describeIssues, formatElapsed } from '../../../src/domain/primitives';
import { resolveStrategy } from '../../../src/domain/strategy';

function problems(input: unknown): string {
  const parsed = StagedReleaseInputSchema.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be rejected');
  return describeIssues(parsed.error);
}

describe('stagedRelease input', () => {
  test('defaults: minor, no notes, every account, Day 1 now, one-day stages, default strategy', () => {
    const params = StagedReleaseInputSchema.parse({ releaseId: '2026-47', version: '2026.47.0' });
    expect(params).toMatchObject({ kind: 'minor', notes: [], schedule: { stageLength: 86_400_000 } });
    expect(params.accounts).toBeUndefined();
    expect(params.schedule.startAt).toBeUndefined();
    expect(params.strategy.concurrency).toEqual({ wave1: 2, wave2: 10 });
  });

  test('stage length and strategy durations are read from text', () => {
    const params = StagedReleaseInputSchema.parse({
      releaseId: 'r',
      version: '1.0',
      schedule: { startAt: '2026-11-23T09:00:00Z', stageLength: '20 seconds' },
      strategy: { watch: { duration: '2 seconds' } },
    });
    expect(params.schedule.stageLength).toBe(20_000);
    expect(params.strategy.watch.duration).toBe(2000);
  });

  test('bad input names every field to fix, including the duration message', () => {
    const text = problems({
      releaseId: 'r',
      version: 'not a version',
      kind: 'patch',
      schedule: { stageLength: 'soon', startAt: 'tomorrow' },
      extra: 1,
    });
    expect(text).toMatch(/version: a version is letters/);
    expect(text).toMatch(/kind: /);
    expect(text).toMatch(/schedule.stageLength: "soon" is not a duration/);
    expect(text).toMatch(/schedule.startAt: startAt must be an ISO time/);
    expect(text).toMatch(/extra/);
  });

  test('releaseId and version are required', () => {
    expect(problems({})).toMatch(/releaseId: .*; version: /);
  });

  test('a stage length is between 1 second and 30 days; the message names the field and the range', () => {
    const base = { releaseId: 'r', version: '1.0' };
    expect(problems({ ...base, schedule: { stageLength: '100000000 days' } })).toBe(
      'schedule.stageLength: must be between 1s and 30 days; 100000000 days is out of range',
    );
    expect(problems({ ...base, schedule: { stageLength: '31 days' } })).toMatch(
      /^schedule.stageLength: must be between/,
    );
    expect(problems({ ...base, schedule: { stageLength: 999 } })).toMatch(/^schedule.stageLength: must be between/);
    expect(problems({ ...base, schedule: { stageLength: `${'9'.repeat(400)} days` } })).toMatch(
      /schedule.stageLength: .* is not a duration/,
    );
    expect(StagedReleaseInputSchema.parse({ ...base, schedule: { stageLength: '30 days' } }).schedule.stageLength).toBe(
      30 * 86_400_000,
    );
  });

  test('Day 1 is a real date, not before 2000 and at most a year ahead', () => {
    const base = { releaseId: 'r', version: '1.0' };
    const startAt = (at: string) => problems({ ...base, schedule: { startAt: at } });
    expect(startAt('2026-02-30T09:00:00Z')).toMatch(/schedule.startAt: startAt must be an ISO time/);
    expect(startAt('0000-01-01T00:00:00Z')).toMatch(/schedule.startAt: startAt must not be before 2000/);
    expect(startAt(new Date(Date.now() + 400 * 86_400_000).toISOString())).toMatch(
      /schedule.startAt: startAt must be at most 365 days ahead/,
    );
    const soon = new Date(Date.now() + 300 * 86_400_000).toISOString();
    expect(StagedReleaseInputSchema.parse({ ...base, schedule: { startAt: soon } }).schedule.startAt).toBe(soon);
  });

  test('every strategy duration and number has a range', () => {
    const base = { releaseId: 'r', version: '1.0' };
    const strategy = (value: unknown) => problems({ ...base, strategy: value });
    expect(strategy({ watch: { duration: '500ms' } })).toBe(
      'strategy.watch.duration: must be between 1s and 1 day; 500ms is out of range',
    );
    expect(strategy({ readinessTimeout: '2 hours' })).toMatch(/^strategy.readinessTimeout: must be between 1s and 1h/);
    expect(strategy({ approvalTimeout: '8 days' })).toMatch(/^strategy.approvalTimeout: must be between 0 and 7 days/);
    expect(strategy({ keepBlueWarm: '2 days' })).toMatch(/^strategy.keepBlueWarm: must be between 0 and 1 day/);
    // The fleet's drain API takes at most an hour.
    expect(strategy({ drainTimeout: '61 minutes' })).toMatch(/^strategy.drainTimeout: must be between 0 and 1h/);
    expect(strategy({ failureBudget: { wave2: 1e9 } })).toMatch(/^strategy.failureBudget.wave2: /);
    expect(strategy({ watch: { maxP99Ms: 1e12 } })).toMatch(/^strategy.watch.maxP99Ms: /);
    expect(strategy({ watch: { maxErrorRate: 2 } })).toMatch(/^strategy.watch.maxErrorRate: /);
    expect(strategy({ watch: { durration: '1s' } })).toMatch(/durration/);
    expect(
      StagedReleaseInputSchema.parse({
        ...base,
        strategy: { approvalTimeout: 0, keepBlueWarm: 0, drainTimeout: '1 hour', watch: { duration: '1 second' } },
      }).strategy,
    ).toMatchObject({ approvalTimeout: 0, keepBlueWarm: 0, drainTimeout: 3_600_000, watch: { duration: 1000 } });
  });
});

describe('fault settings of the strategy', () => {
  test('defaults: a step stalls after 30 s beyond its own duration; the release opens an issue after 2 minutes', () => {
    expect(resolveStrategy({}).faults).toEqual({ stallAfter: 30_000, issueAfter: 120_000 });
    expect(resolveStrategy({ faults: { stallAfter: '5 seconds', issueAfter: '10m' } }).faults).toEqual({
      stallAfter: 5_000,
      issueAfter: 600_000,
    });
  });
  test('out of range or unknown settings are refused with what to write', () => {
    expect(() => resolveStrategy({ faults: { stallAfter: 10 } })).toThrow(
      /must be between 1s and 1h; 10ms is out of range/,
    );
    expect(() => resolveStrategy({ faults: { issueAfter: '2 days' } })).toThrow(
      /must be between 0 and 1 day; 2 days is out of range/,
    );
    expect(() => resolveStrategy({ faults: { retries: 3 } } as never)).toThrow(/retries/);
  });
  test('elapsed times read as people say them', () => {
    expect([850, 45_000, 130_000, 180_000, 3_900_000, 7_200_000].map(formatElapsed)).toEqual([
      '850ms',
      '45s',
      '2m10s',
      '3m',
      '1h5m',
      '2h',
    ]);
  });
});

describe('a duration the release cannot read', () => {
  it('is quoted in the message with its control characters escaped, so logs and terminals stay readable', () => {
    const parsed = StagedReleaseInputSchema.safeParse({
      releaseId: 'r',
      version: '1.0',
      strategy: { keepBlueWarm: '\u0000\u001b[2J' },
    });
    expect(parsed.success).toBe(false);
    const message = parsed.error!.issues.map((issue) => issue.message).join('\n');
    expect(message).toContain('"\\u0000\\u001b[2J" is not a duration');
    expect([...message].some((char) => char === '\u0000' || char === '\u001b')).toBe(false);
  });
});
