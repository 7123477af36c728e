import { StagedReleaseInputSchema } from '../../../src/domain/release/input';
import { applyMessage, parseMessage } from '../../../src/domain/release/messages';
import { planRelease } from '../../../src/domain/release/lifecycle';
import {
  judgeRegression,
  measureWorkload,
  percentile,
  type RegressionEvidence,
} from '../../../src/domain/release/regression';
import { carry, readCarried } from '../../../src/domain/release/carried';
import { holdIsOver, newReleaseStatus, waveMayGoOn } from '../../../src/domain/release/status';
import {
  passValidation,
  planValidation,
  recordRegression,
  startValidation,
  validationDue,
} from '../../../src/domain/release/validation';
import { statusView } from '../../../src/domain/release/view';
import { planWaves } from '../../../src/domain/release/waves';
import { resolveStrategy } from '../../../src/domain/strategy';
import { Driver, T0 } from './support';

const thresholds = resolveStrategy(undefined).regression;
const side = (version: string, over: Partial<RegressionEvidence['candidate']> = {}) => ({
  version,
  requests: 200,
  errors: 0,
  errorRate: 0,
  p50Ms: 20,
  p99Ms: 60,
  ...over,
});
const evidence = (candidate: Partial<RegressionEvidence['candidate']>): RegressionEvidence => ({
  accountId: 'internal-qa',
  baseline: side('2026.46.0'),
  candidate: side('2026.47.0', candidate),
});

describe('regression judgement (wave 0)', () => {
  test('the strategy has thresholds by default', () => {
    expect(thresholds).toEqual({
      requests: 200,
      maxErrorRateIncrease: 0.01,
      maxP50Ratio: 1.5,
      maxP99Ratio: 2,
      latencySlackMs: 50,
    });
  });

  test('a new version that measures like the current one passes', () => {
    expect(judgeRegression(evidence({ p50Ms: 22, p99Ms: 70 }), thresholds)).toMatchObject({
      verdict: 'passed',
      reasons: [],
    });
  });

  test('tiny latencies within the slack pass even at several times the baseline', () => {
    expect(judgeRegression(evidence({ p50Ms: 60, p99Ms: 110 }), thresholds).verdict).toBe('passed');
  });

  test('a slower p50 or p99 beyond ratio and slack fails, naming each threshold', () => {
    const verdict = judgeRegression(evidence({ p50Ms: 200, p99Ms: 600 }), thresholds);
    expect(verdict.verdict).toBe('failed');
    expect(verdict.reasons).toEqual(['p50 200ms vs 20ms (at most 70ms)', 'p99 600ms vs 60ms (at most 120ms)']);
    expect(verdict.summary).toContain('2026.47.0 regressed against 2026.46.0');
  });

  test('an error rate more than the allowed increase above the baseline fails', () => {
    const verdict = judgeRegression(evidence({ errors: 10, errorRate: 0.05 }), thresholds);
    expect(verdict.verdict).toBe('failed');
    expect(verdict.reasons[0]).toBe('error rate 5.0% vs 0.0% (at most +1.0%)');
  });

  test('without a baseline only the error rate is judged', () => {
    const alone: RegressionEvidence = { accountId: 'a', baseline: null, candidate: side('2', { p99Ms: 5000 }) };
    expect(judgeRegression(alone, thresholds).verdict).toBe('passed');
  });

  test('measures: errors are answers not ok, latencies of the answered ones, nearest-rank percentiles', () => {
    const answers = [
      ...Array.from({ length: 98 }, (_, i) => ({ ok: true, latencyMs: i + 1 })),
      { ok: false, latencyMs: 1 },
      { ok: false, latencyMs: 1 },
    ];
    expect(measureWorkload('v', answers)).toEqual({
      version: 'v',
      requests: 100,
      errors: 2,
      errorRate: 0.02,
      p50Ms: 49,
      p99Ms: 98,
    });
    expect(percentile([], 99)).toBe(0);
  });
});

describe('wave planning with internal accounts', () => {
  const registry = [
    { accountId: 'qa', earlyAccess: false, internal: true },
    { accountId: 'acme', earlyAccess: true },
    { accountId: 'hooli', earlyAccess: false },
  ];

  test('internal accounts are wave 0 when the release validates', () => {
    expect(planWaves(registry, undefined, true).accounts).toEqual([
      { accountId: 'qa', wave: 0 },
      { accountId: 'acme', wave: 1 },
      { accountId: 'hooli', wave: 2 },
    ]);
  });

  test('without validation (skipped, or a release recorded before) they go by early access', () => {
    expect(planWaves(registry).accounts[0]).toEqual({ accountId: 'qa', wave: 2 });
  });
});

describe('skipValidation input', () => {
  const base = { releaseId: 'r1', version: '2026.47.0' };
  test('is accepted with a reason', () => {
    expect(
      StagedReleaseInputSchema.parse({ ...base, skipValidation: { reason: 'hotfix INC-1' } }).skipValidation,
    ).toEqual({ reason: 'hotfix INC-1' });
  });
  test.each([[{}], [{ reason: '  ' }], [true]])('is refused without a reason: %j', (skipValidation) => {
    const parsed = StagedReleaseInputSchema.safeParse({ ...base, skipValidation });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/skipValidation/);
  });
});

describe('validation transitions', () => {
  function planned(skip?: { reason: string }) {
    const status = newReleaseStatus({
      releaseId: 'r1',
      version: '2026.47.0',
      kind: 'minor',
      notes: [],
      schedule: { startAt: T0, stageLength: 20_000 },
      now: T0,
    });
    const driver = new Driver(status);
    const accounts = [
      { accountId: 'qa', wave: 0 as const },
      { accountId: 'acme', wave: 1 as const },
    ];
    driver.apply((s) => planRelease(s, { accounts }, T0));
    driver.apply((s) => planValidation(s, { internalAccounts: 1, skip }, T0));
    return driver;
  }

  test('a failed regression run halts wave 0, opens an issue and holds Day 1 until patch or resume', () => {
    const driver = planned();
    expect(validationDue(driver.status)).toBe(true);
    driver.apply((s) => startValidation(s, 1, T0 + 1));
    const failedRun = evidence({ p50Ms: 200, p99Ms: 600 });
    const events = driver.apply((s) =>
      recordRegression(s, { evidence: failedRun, verdict: judgeRegression(failedRun, thresholds) }, T0 + 2),
    );
    expect(events.map((e) => e.type)).toEqual(['regression-judged', 'validation-failed', 'issue-opened']);
    expect(waveMayGoOn(driver.status, 0)).toBe(false);
    expect(waveMayGoOn(driver.status, 1)).toBe(false);
    expect(holdIsOver(driver.status)).toBe(false);
    const view = statusView(driver.status);
    expect(view.validation).toMatchObject({ state: 'failed', version: '2026.47.0' });
    expect(view.validation?.regressions[0]).toMatchObject({ accountId: 'internal-qa', verdict: 'failed' });
    expect(view.waves.wave0).toMatchObject({ total: 1 });
    expect(view.timeline.map((e) => e.event)).toContain('wave 0 failed on 2026.47.0');
    // A patch is validated again.
    driver.apply((s) =>
      applyMessage(s, parseMessage('patch', { version: '2026.47.1', reason: 'fix' }), T0 + 3, 'update'),
    );
    expect(holdIsOver(driver.status)).toBe(true);
    expect(validationDue(driver.status)).toBe(true);
  });

  test('a passed validation is carried across continue-as-new', () => {
    const driver = planned();
    driver.apply((s) => startValidation(s, 1, T0 + 1));
    const ok = evidence({});
    driver.apply((s) => recordRegression(s, { evidence: ok, verdict: judgeRegression(ok, thresholds) }, T0 + 2));
    driver.apply((s) => passValidation(s, T0 + 3));
    expect(validationDue(driver.status)).toBe(false);
    const back = readCarried(JSON.parse(JSON.stringify(carry(driver.status))));
    expect(back.validation).toEqual(driver.status.validation);
    expect(back.accounts.counts.wave0.total).toBe(1);
    // A patch given later is validated on wave 0 before wave 1 gets it.
    driver.apply((s) =>
      applyMessage(s, parseMessage('patch', { version: '2026.47.1', reason: 'fix' }), T0 + 4, 'update'),
    );
    expect(validationDue(driver.status)).toBe(true);
  });

  test('a skipped validation says why; an empty one says there is nothing to validate', () => {
    const skipped = planned({ reason: 'hotfix INC-1' });
    expect(statusView(skipped.status).validation).toEqual({
      state: 'skipped',
      skipReason: 'hotfix INC-1',
      regressions: [],
    });
    expect(statusView(skipped.status).timeline.at(-1)).toMatchObject({ event: 'wave 0 skipped' });
    const status = newReleaseStatus({
      releaseId: 'r2',
      version: '2026.47.0',
      kind: 'minor',
      notes: [],
      schedule: { startAt: T0, stageLength: 20_000 },
      now: T0,
    });
    const empty = new Driver(status);
    empty.apply((s) => planValidation(s, { internalAccounts: 0 }, T0));
    expect(statusView(empty.status).timeline.at(-1)).toMatchObject({ event: 'wave 0 empty' });
    expect(validationDue(empty.status)).toBe(false);
  });
});
