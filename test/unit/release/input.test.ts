import { StagedReleaseInputSchema } from '../../../src/domain/release/input';
import { describeIssues } from '../../../src/domain/primitives';

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
