import type { CheckReport } from './swap';
import { pct } from './canary';

/** What the post-promotion watch has seen so far (kept in heartbeats so a retried watch resumes). */
export interface WatchTally {
  /** Probes sent through the router. */
  sent: number;
  /** Probes that failed (error status, timeout, no answer). */
  errors: number;
  /** Latencies (ms) of the probes that succeeded. */
  latencies: number[];
  /** A few example errors, for the evidence. */
  errorExamples: string[];
}

export interface WatchLimits {
  /** Probes the whole watch will send (duration × probes per second). */
  plannedProbes: number;
  maxErrorRate: number;
  maxP99Ms: number;
}

export type WatchVerdict = 'pending' | 'passed' | 'failed';

export interface WatchJudgement {
  verdict: WatchVerdict;
  summary: string;
  evidence: Record<string, unknown>;
}

export function emptyTally(): WatchTally {
  return { sent: 0, errors: 0, latencies: [], errorExamples: [] };
}

/** What the watch needs of one probe's answer. */
export interface ProbeOutcome {
  ok: boolean;
  /** HTTP status; 0 when no answer came back. */
  status: number;
  latencyMs: number;
  error?: string;
}

/** Errors that mean no connection to the router was made at all (nothing about green). */
const NOT_REACHED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/**
 * True when the batch says nothing about green: every probe failed to connect to the router.
 * Errors of green (a 5xx from an instance, a timeout of a router that accepted the request) are
 * evidence and count; so does a batch where any probe got through.
 */
export function routerUnreachable(answers: readonly ProbeOutcome[]): boolean {
  return answers.length > 0 && answers.every((a) => !a.ok && a.status === 0 && NOT_REACHED.has((a.error ?? '').trim()));
}

/** Keep this many latencies at most (enough for p99 of any sensible watch; they travel in heartbeats). */
const MAX_KEPT_LATENCIES = 20_000;

/** Adds a counted batch to the tally (in place: the tally is the watch's own working copy). */
export function tallyAnswers(tally: WatchTally, answers: readonly ProbeOutcome[]): void {
  for (const answer of answers) {
    tally.sent++;
    if (answer.ok) tally.latencies.push(answer.latencyMs);
    else {
      tally.errors++;
      if (tally.errorExamples.length < 5) tally.errorExamples.push(answer.error ?? `status ${answer.status}`);
    }
  }
  if (tally.latencies.length > MAX_KEPT_LATENCIES)
    tally.latencies.splice(0, tally.latencies.length - MAX_KEPT_LATENCIES);
}

/** Nearest-rank percentile (p in 0..100) of the given values; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/**
 * Judges the watch. While it runs (`final: false`) it fails as soon as a breach is certain, that
 * is when no outcome of the remaining probes could bring the figures back within the limits:
 * - errors: more errors than `maxErrorRate × plannedProbes`;
 * - latency: more slow answers (above maxP99Ms) than the 1% of planned probes the p99 may
 *   exclude (nearest rank), so the final p99 must exceed maxP99Ms.
 * At the end (`final: true`) it judges the actual figures.
 */
export function judgeWatch(tally: WatchTally, limits: WatchLimits, final: boolean): WatchJudgement {
  const planned = Math.max(limits.plannedProbes, tally.sent, 1);
  const slow = tally.latencies.filter((ms) => ms > limits.maxP99Ms).length;
  const errorRate = tally.sent === 0 ? 0 : tally.errors / tally.sent;
  const p99Ms = percentile(tally.latencies, 99);
  const evidence = {
    probes: tally.sent,
    plannedProbes: limits.plannedProbes,
    errors: tally.errors,
    errorRate: Math.round(errorRate * 10_000) / 10_000,
    maxErrorRate: limits.maxErrorRate,
    p50Ms: round1(percentile(tally.latencies, 50)),
    p99Ms: round1(p99Ms),
    maxP99Ms: limits.maxP99Ms,
    slowAnswers: slow,
    errorExamples: tally.errorExamples,
  };

  const allowedErrors = Math.floor(limits.maxErrorRate * planned + 1e-9);
  if (tally.errors > allowedErrors) {
    return {
      verdict: 'failed',
      summary: `error rate breached: ${tally.errors} of ${tally.sent} probes failed (at least ${pct(tally.errors / planned)} of the watch > ${pct(limits.maxErrorRate)})`,
      evidence,
    };
  }
  const allowedSlow = planned - Math.ceil(0.99 * planned - 1e-9);
  if (slow > allowedSlow) {
    return {
      verdict: 'failed',
      summary: `latency breached: ${slow} of ${tally.sent} probes took longer than ${limits.maxP99Ms}ms, so p99 > ${limits.maxP99Ms}ms`,
      evidence,
    };
  }
  if (!final)
    return {
      verdict: 'pending',
      summary: `watching: ${tally.sent} of ${limits.plannedProbes} probes, ${tally.errors} errors`,
      evidence,
    };
  if (tally.sent === 0) return { verdict: 'failed', summary: 'no probe could be sent during the watch', evidence };
  if (errorRate > limits.maxErrorRate) {
    return { verdict: 'failed', summary: `error rate ${pct(errorRate)} > ${pct(limits.maxErrorRate)}`, evidence };
  }
  if (p99Ms > limits.maxP99Ms) {
    return { verdict: 'failed', summary: `p99 ${round1(p99Ms)}ms > ${limits.maxP99Ms}ms`, evidence };
  }
  return {
    verdict: 'passed',
    summary: `${tally.sent} probes through the router: error rate ${pct(errorRate)} ≤ ${pct(limits.maxErrorRate)}, p99 ${round1(p99Ms)}ms ≤ ${limits.maxP99Ms}ms`,
    evidence,
  };
}

export function toWatchReport(judgement: WatchJudgement): CheckReport {
  return {
    check: 'watch',
    verdict: judgement.verdict === 'passed' ? 'passed' : 'failed',
    summary: judgement.summary,
    evidence: judgement.evidence,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
