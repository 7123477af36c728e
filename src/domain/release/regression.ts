/**
 * The regression run of the pre-release validation (wave 0): the same sample workload sent to one
 * instance of the version an internal account runs now (baseline) and one of the new version
 * (candidate); the new one passes when its error rate and latency (p50, p99) stay within the
 * strategy's thresholds of the baseline's. Pure: the activity measures, this judges.
 */

/** What one side of the run measured. Latencies are of the answered (2xx) requests. */
export interface WorkloadMeasure {
  version: string;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

/** What the regression activity returns: both sides' measures on the same sample. */
export interface RegressionEvidence {
  accountId: string;
  /** The version the account ran (null: it served none, so only the candidate's error rate is judged). */
  baseline: WorkloadMeasure | null;
  candidate: WorkloadMeasure;
}

export interface RegressionThresholds {
  /** Requests of the sample workload sent to each side. */
  requests: number;
  /** How much higher the candidate's error rate may be (0.01: one point of percentage). */
  maxErrorRateIncrease: number;
  /** The candidate's p50 may be at most this multiple of the baseline's ... */
  maxP50Ratio: number;
  /** ... and its p99 at most this multiple ... */
  maxP99Ratio: number;
  /** ... unless within this many ms of the baseline's (tiny latencies jitter by whole ratios). */
  latencySlackMs: number;
}

export interface RegressionVerdict {
  verdict: 'passed' | 'failed';
  /** One line for the timeline and the issue. */
  summary: string;
  /** Every threshold the candidate went past; empty when it passed. */
  reasons: string[];
}

/** The percentile of `values` (nearest rank); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** A side's measure from its answers: errors are requests not answered 2xx; latencies of the answered ones. */
export function measureWorkload(
  version: string,
  answers: ReadonlyArray<{ ok: boolean; latencyMs: number }>,
): WorkloadMeasure {
  const answered = answers.filter((a) => a.ok).map((a) => a.latencyMs);
  const errors = answers.length - answered.length;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    version,
    requests: answers.length,
    errors,
    errorRate: answers.length === 0 ? 1 : errors / answers.length,
    p50Ms: round(percentile(answered, 50)),
    p99Ms: round(percentile(answered, 99)),
  };
}

export function judgeRegression(evidence: RegressionEvidence, limits: RegressionThresholds): RegressionVerdict {
  const { baseline, candidate } = evidence;
  const reasons: string[] = [];
  const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  const baseRate = baseline?.errorRate ?? 0;
  if (candidate.requests === 0) reasons.push('no request of the sample was sent to the new version');
  else if (candidate.errorRate - baseRate > limits.maxErrorRateIncrease)
    reasons.push(
      `error rate ${pct(candidate.errorRate)} vs ${pct(baseRate)} (at most +${pct(limits.maxErrorRateIncrease)})`,
    );
  if (baseline && candidate.errors < candidate.requests) {
    const latency = (name: 'p50' | 'p99', ratio: number) => {
      const base = baseline[`${name}Ms`];
      const now = candidate[`${name}Ms`];
      const allowed = Math.max(base * ratio, base + limits.latencySlackMs);
      if (now > allowed) reasons.push(`${name} ${now}ms vs ${base}ms (at most ${Math.round(allowed * 10) / 10}ms)`);
    };
    latency('p50', limits.maxP50Ratio);
    latency('p99', limits.maxP99Ratio);
  }
  const against = baseline ? ` against ${baseline.version}` : ' (no baseline: the account served no version)';
  const measured = `${candidate.requests} requests, errors ${pct(candidate.errorRate)}, p50 ${candidate.p50Ms}ms, p99 ${candidate.p99Ms}ms`;
  return reasons.length
    ? { verdict: 'failed', summary: `${candidate.version} regressed${against}: ${reasons.join('; ')}`, reasons }
    : { verdict: 'passed', summary: `${candidate.version} within thresholds${against}: ${measured}`, reasons };
}
