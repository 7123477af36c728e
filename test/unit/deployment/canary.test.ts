import {
  differingFeatures,
  judgeCanary,
  type CanaryPair,
  type SampleAnswer,
} from '../../../src/domain/deployment/canary';

const settings = { mismatchThreshold: 0.1, minAnsweredFraction: 0.9 };
const ok = (values: Record<string, number>): SampleAnswer => ({ ok: true, status: 200, latencyMs: 2, values });
const failed = (error = 'boom'): SampleAnswer => ({ ok: false, status: 500, latencyMs: 2, error });

function pairs(n: number, make: (i: number) => Pick<CanaryPair, 'green' | 'blue'>): CanaryPair[] {
  return Array.from({ length: n }, (_, i) => ({
    request: { useCase: i % 2 ? 'fraud-score' : 'churn-risk', entity: `e${i}` },
    ...make(i),
  }));
}

describe('canary judgement', () => {
  it('passes when green serves the same values as blue', () => {
    const report = judgeCanary(
      pairs(20, () => ({ green: ok({ a: 0.5, b: 3 }), blue: ok({ a: 0.5, b: 3 }) })),
      settings,
    );
    expect(report).toMatchObject({
      check: 'canary',
      verdict: 'passed',
      evidence: { samples: 20, compared: 20, mismatched: 0, mismatchRate: 0 },
    });
  });

  it('tolerates floating-point noise but not a different value', () => {
    expect(differingFeatures({ a: 0.1 + 0.2 }, { a: 0.3 })).toEqual([]);
    expect(differingFeatures({ a: 0.3001 }, { a: 0.3 })).toEqual(['a']);
    expect(differingFeatures({ a: 1 }, { a: 1, b: 2 })).toEqual(['b']);
  });

  it('passes when the mismatch rate is at the threshold', () => {
    const report = judgeCanary(
      pairs(20, (i) => ({ green: ok({ a: i < 2 ? 9 : 1 }), blue: ok({ a: 1 }) })),
      settings,
    );
    expect(report.verdict).toBe('passed');
    expect(report.evidence.mismatchRate).toBe(0.1);
  });

  it('fails above the threshold and records which use cases and entities differed', () => {
    const report = judgeCanary(
      pairs(20, (i) => ({ green: ok({ a: i % 2 && i < 10 ? 9 : 1, b: 2 }), blue: ok({ a: 1, b: 2 }) })),
      settings,
    );
    expect(report.verdict).toBe('failed');
    expect(report.evidence).toMatchObject({ mismatched: 5, mismatchRate: 0.25, differingUseCases: ['fraud-score'] });
    expect(report.evidence.differingEntities).toContainEqual({ useCase: 'fraud-score', entity: 'e1', features: ['a'] });
    expect(report.summary).toContain('fraud-score');
  });

  it('is inconclusive when too few samples were answered by both sides', () => {
    const report = judgeCanary(
      pairs(20, (i) => ({ green: ok({ a: 1 }), blue: i < 5 ? failed() : ok({ a: 1 }) })),
      settings,
    );
    expect(report.verdict).toBe('inconclusive');
    expect(report.evidence).toMatchObject({ compared: 15, blueErrors: 5, answeredFraction: 0.75 });
  });

  it('fails when green errors on requests blue answered', () => {
    const report = judgeCanary(
      pairs(20, (i) => ({ green: i < 5 ? failed('engine down') : ok({ a: 1 }), blue: ok({ a: 1 }) })),
      settings,
    );
    expect(report.verdict).toBe('failed');
    expect(report.evidence).toMatchObject({ greenErrors: 5 });
    expect((report.evidence.greenErrorExamples as string[])[0]).toContain('engine down');
  });

  it('is inconclusive with nothing to compare', () => {
    expect(judgeCanary([], settings).verdict).toBe('inconclusive');
  });

  it('lists at most 20 differing entities', () => {
    const report = judgeCanary(
      pairs(100, () => ({ green: ok({ a: 2 }), blue: ok({ a: 1 }) })),
      settings,
    );
    expect(report.evidence.mismatched).toBe(100);
    expect(report.evidence.differingEntities).toHaveLength(20);
  });
});
