/**
 * The wave-0 regression run against a real fleet daemon (real engine processes): one instance of the
 * current version and one of the new version beside the internal account's pool, the same sample to
 * both, measured and judged with the default thresholds, and nothing left behind.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createRegressionActivity, regressionRequestId } from '../../../src/activities/release/regression';
import type { RegressionRun } from '../../../src/domain/release/activities';
import { judgeRegression, type RegressionEvidence } from '../../../src/domain/release/regression';
import { resolveStrategy } from '../../../src/domain/strategy';
import { createLogger } from '../../../src/logging/logger';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';

const SLOW = '2026.47.0-slow';
const ERRORS = '2026.47.0-errors';
const thresholds = resolveStrategy({ regression: { requests: 60 } }).regression;

let fleet: TestFleet;
let activity: ReturnType<typeof createRegressionActivity>;

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [
      {
        accountId: 'internal-qa',
        internal: true,
        useCases: ['fraud-score', 'credit-limit'],
        instanceCount: 1,
        currentVersion: TEST_VERSIONS.current,
      },
    ],
    versions: [
      { version: SLOW, initMs: 150, fault: { type: 'slow', delayMs: 300 } },
      { version: ERRORS, initMs: 150, fault: { type: 'errors', rate: 0.3 } },
    ],
  });
  activity = createRegressionActivity({ fleet: fleet.provider, logger: createLogger('silent') });
}, 60_000);
afterAll(() => fleet?.stop({ expectNoStrays: true }));

function regressionOf(version: string) {
  const mock = new MockActivityEnvironment(
    { activityType: 'runRegression' },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  const run: RegressionRun = {
    releaseId: 'r-regression',
    accountId: 'internal-qa',
    version,
    requests: thresholds.requests,
    readinessTimeoutMs: 30_000,
  };
  return mock.run(activity.runRegression, run) as Promise<RegressionEvidence>;
}

test('the registry marks the account internal', async () => {
  expect(await fleet.provider.getAccount('internal-qa')).toMatchObject({ internal: true });
});

test('a healthy new version measures like the current one and passes; both instances are gone after', async () => {
  const evidence = await regressionOf(TEST_VERSIONS.next);
  expect(evidence.baseline).toMatchObject({ version: TEST_VERSIONS.current, requests: 60, errors: 0 });
  expect(evidence.candidate).toMatchObject({ version: TEST_VERSIONS.next, requests: 60, errors: 0 });
  expect(judgeRegression(evidence, thresholds)).toMatchObject({ verdict: 'passed' });
  expect(await fleet.strays()).toEqual([]);
  const state = await fleet.provider.accountState('internal-qa');
  expect(state.version).toBe(TEST_VERSIONS.current); // the pool was never touched
});

test('a version that answers 300 ms slower fails the latency comparison', async () => {
  const evidence = await regressionOf(SLOW);
  expect(evidence.candidate.p50Ms).toBeGreaterThanOrEqual(300);
  const verdict = judgeRegression(evidence, thresholds);
  expect(verdict.verdict).toBe('failed');
  expect(verdict.reasons.join('; ')).toMatch(/^p50 .*; p99 /);
  expect(await fleet.strays()).toEqual([]);
}, 60_000);

test('a version that fails 30 % of the requests fails the error-rate comparison', async () => {
  const evidence = await regressionOf(ERRORS);
  expect(evidence.candidate.errorRate).toBeGreaterThan(0.1);
  const verdict = judgeRegression(evidence, thresholds);
  expect(verdict.verdict).toBe('failed');
  expect(verdict.reasons[0]).toMatch(/^error rate/);
  expect(await fleet.strays()).toEqual([]);
}, 60_000);

test('a version that never starts is evidence (every request an error), not a fault retried', async () => {
  const evidence = await regressionOf(TEST_VERSIONS.failsToStart);
  expect(evidence.candidate).toMatchObject({ errors: 60, errorRate: 1 });
  expect(judgeRegression(evidence, thresholds).verdict).toBe('failed');
  expect(await fleet.strays()).toEqual([]);
});

test('request ids derive from release, account, version and side (a retried attempt finds the same instances)', () => {
  const run = { releaseId: 'r', accountId: 'a', version: 'v', requests: 10, readinessTimeoutMs: 1 };
  expect(regressionRequestId(run, 'baseline')).toBe('r/a/v/regression-baseline');
  expect(regressionRequestId(run, 'candidate')).toBe('r/a/v/regression-candidate');
});
