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
    expect(() => resolveStrategy({ faults: { stallAfter: 10 } })).toThrow(/between 1 second and 1 hour/);
    expect(() => resolveStrategy({ faults: { issueAfter: '2 days' } })).toThrow(/at most 1 day/);
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
