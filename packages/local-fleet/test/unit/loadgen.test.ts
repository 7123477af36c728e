import { summarizeLatencies } from '../../src/loadgen';

describe('latency summary', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatencies(samples)).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(summarizeLatencies([])).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
