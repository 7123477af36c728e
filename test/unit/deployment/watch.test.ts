import {
  emptyTally,
  judgeWatch,
  percentile,
  routerUnreachable,
  tallyAnswers,
  toWatchReport,
  type WatchTally,
} from '../../../src/domain/deployment/watch';

const limits = { plannedProbes: 100, maxErrorRate: 0.02, maxP99Ms: 250 };
const tally = (sent: number, errors: number, latencies: number[]): WatchTally => ({
  sent,
  errors,
  latencies,
  errorExamples: [],
});

describe('watch judgement', () => {
  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBe(0);
  });

  it('keeps watching while no breach is certain', () => {
    expect(judgeWatch(tally(10, 2, Array(8).fill(5)), limits, false).verdict).toBe('pending');
  });

  it('fails fast once more errors than the whole watch may have have happened', () => {
    const judgement = judgeWatch(tally(10, 3, Array(7).fill(5)), limits, false);
    expect(judgement.verdict).toBe('failed');
    expect(judgement.summary).toContain('error rate');
  });

  it('fails fast once the p99 can no longer stay under the limit', () => {
    expect(judgeWatch(tally(10, 0, [...Array(9).fill(5), 400]), limits, false).verdict).toBe('pending');
    const judgement = judgeWatch(tally(10, 0, [...Array(8).fill(5), 400, 400]), limits, false);
    expect(judgement.verdict).toBe('failed');
    expect(judgement.summary).toContain('latency');
  });

  it('with a short watch, one slow answer is already a certain p99 breach', () => {
    expect(judgeWatch(tally(3, 0, [5, 5, 900]), { ...limits, plannedProbes: 20 }, false).verdict).toBe('failed');
  });

  it('passes a healthy watch at the end and reports its figures', () => {
    const judgement = judgeWatch(tally(100, 1, Array(99).fill(10)), limits, true);
    expect(judgement.verdict).toBe('passed');
    expect(judgement.evidence).toMatchObject({ probes: 100, errors: 1, errorRate: 0.01, p99Ms: 10 });
    expect(toWatchReport(judgement)).toMatchObject({ check: 'watch', verdict: 'passed' });
  });

  it('fails at the end when nothing could be probed', () => {
    expect(judgeWatch(emptyTally(), limits, true).verdict).toBe('failed');
  });

  it('judges the actual figures at the end when fewer probes than planned were sent', () => {
    expect(judgeWatch(tally(10, 1, Array(9).fill(5)), limits, true).verdict).toBe('failed');
  });
});

describe('which probe batches the watch counts', () => {
  const refused = { ok: false, status: 0, latencyMs: 0, error: 'ECONNREFUSED' };
  it('a batch none of whose probes could connect to the router says nothing about green', () => {
    expect(routerUnreachable([refused, { ...refused, error: 'EHOSTUNREACH' }])).toBe(true);
    expect(routerUnreachable([])).toBe(false);
  });
  it('errors of green, timeouts of a router that answered, and mixed batches are evidence', () => {
    expect(routerUnreachable([{ ok: false, status: 502, latencyMs: 3, error: 'bad gateway' }])).toBe(false);
    expect(routerUnreachable([{ ok: false, status: 0, latencyMs: 5000, error: 'no answer within 5000 ms' }])).toBe(
      false,
    );
    expect(routerUnreachable([refused, { ok: true, status: 200, latencyMs: 2 }])).toBe(false);
  });
  it('tallies a counted batch: errors with examples, latencies of answers', () => {
    const tally = emptyTally();
    tallyAnswers(tally, [
      { ok: true, status: 200, latencyMs: 4 },
      { ok: false, status: 500, latencyMs: 1, error: 'boom' },
    ]);
    expect(tally).toEqual({ sent: 2, errors: 1, latencies: [4], errorExamples: ['boom'] });
  });
});
