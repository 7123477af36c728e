import type { CheckReport, Verdict } from './swap';
import type { SampleRequest } from './sampling';

/** One answer to a sample request (structurally the fleet's FeatureAnswer). */
export interface SampleAnswer {
  ok: boolean;
  status: number;
  latencyMs: number;
  values?: Record<string, number>;
  error?: string;
}

/** The same request, answered by green and by blue. */
export interface CanaryPair {
  request: SampleRequest;
  green: SampleAnswer;
  blue: SampleAnswer;
}

export interface CanarySettings {
  mismatchThreshold: number;
  minAnsweredFraction: number;
}

export interface CanaryDifference {
  useCase: string;
  entity: string;
  /** Feature names whose values differ (or that one side lacks). */
  features: string[];
}

/** At most this many differing entities are listed in the evidence. */
export const MAX_LISTED_DIFFERENCES = 20;

/** Relative tolerance when comparing two feature values (floating-point noise is not a mismatch). */
const TOLERANCE = 1e-9;

export function sameValue(a: number, b: number): boolean {
  if (Object.is(a, b)) return true;
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Names of the features whose values differ between two answers (missing on one side counts). */
export function differingFeatures(green: Record<string, number>, blue: Record<string, number>): string[] {
  const names = new Set([...Object.keys(green), ...Object.keys(blue)]);
  return [...names].filter((name) => !(name in green) || !(name in blue) || !sameValue(green[name], blue[name])).sort();
}

/**
 * The canary judgement: compares what green and blue served for the same sample.
 *
 * - failed: green failed requests that blue answered at a rate above the mismatch threshold, or
 *   the values differ on more than `mismatchThreshold` of the samples both sides answered;
 * - inconclusive: fewer than `minAnsweredFraction` of the samples were answered by both sides
 *   (for example blue itself was erroring), so there is too little to compare;
 * - passed otherwise.
 */
export function judgeCanary(pairs: readonly CanaryPair[], settings: CanarySettings): CheckReport {
  const total = pairs.length;
  const byUseCase: Record<string, { sampled: number; compared: number; mismatched: number }> = {};
  const differences: CanaryDifference[] = [];
  let compared = 0;
  let mismatched = 0;
  let greenOnlyErrors = 0;
  let blueErrors = 0;
  const greenErrorExamples: string[] = [];

  for (const { request, green, blue } of pairs) {
    const tally = (byUseCase[request.useCase] ??= { sampled: 0, compared: 0, mismatched: 0 });
    tally.sampled++;
    if (!blue.ok || !blue.values) {
      blueErrors++;
      continue;
    }
    if (!green.ok || !green.values) {
      greenOnlyErrors++;
      if (greenErrorExamples.length < 5)
        greenErrorExamples.push(`${request.useCase}/${request.entity}: ${green.error ?? `status ${green.status}`}`);
      continue;
    }
    compared++;
    tally.compared++;
    const features = differingFeatures(green.values, blue.values);
    if (features.length > 0) {
      mismatched++;
      tally.mismatched++;
      differences.push({ useCase: request.useCase, entity: request.entity, features });
    }
  }

  const mismatchRate = compared === 0 ? 0 : mismatched / compared;
  const answeredFraction = total === 0 ? 0 : compared / total;
  const greenErrorRate = total === 0 ? 0 : greenOnlyErrors / total;
  const differingUseCases = Object.entries(byUseCase)
    .filter(([, t]) => t.mismatched > 0)
    .map(([useCase]) => useCase)
    .sort();
  const evidence = {
    samples: total,
    compared,
    mismatched,
    mismatchRate: round(mismatchRate),
    mismatchThreshold: settings.mismatchThreshold,
    answeredFraction: round(answeredFraction),
    minAnsweredFraction: settings.minAnsweredFraction,
    greenErrors: greenOnlyErrors,
    blueErrors,
    greenErrorExamples,
    byUseCase,
    differingUseCases,
    differingEntities: differences.slice(0, MAX_LISTED_DIFFERENCES),
  };

  let verdict: Verdict;
  let summary: string;
  if (total === 0) {
    verdict = 'inconclusive';
    summary = 'no sample requests to compare (the account serves no use cases)';
  } else if (greenErrorRate > settings.mismatchThreshold) {
    verdict = 'failed';
    summary = `green failed ${greenOnlyErrors} of ${total} requests that blue answered (${pct(greenErrorRate)} > ${pct(settings.mismatchThreshold)})`;
  } else if (answeredFraction < settings.minAnsweredFraction) {
    verdict = 'inconclusive';
    summary = `only ${compared} of ${total} samples were answered by both green and blue (${pct(answeredFraction)} < ${pct(settings.minAnsweredFraction)}); too few to judge`;
  } else if (mismatchRate > settings.mismatchThreshold) {
    verdict = 'failed';
    summary = `values differ on ${mismatched} of ${compared} samples (${pct(mismatchRate)} > ${pct(settings.mismatchThreshold)}); use cases: ${differingUseCases.join(', ')}`;
  } else {
    verdict = 'passed';
    summary = `values match on ${compared - mismatched} of ${compared} samples (mismatch ${pct(mismatchRate)} ≤ ${pct(settings.mismatchThreshold)})`;
  }
  return { check: 'canary', verdict, summary, evidence };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
