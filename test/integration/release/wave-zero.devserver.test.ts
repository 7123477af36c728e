/**
 * Pre-release validation on the real stack (dev server, real fleet, real swaps and regression runs):
 * a version that answers slower fails wave 0 on the internal account and the release holds before
 * Day 1 with every customer account untouched; a healthy version passes wave 0 (the internal
 * account swapped to it) and Day 1 goes on.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases, type ReleaseHandle } from '../../../src/client';
import type { StagedReleaseInput } from '../../../src/domain/release/input';
import { createLogger } from '../../../src/logging/logger';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { statusWithAccounts, type StatusWithAccounts } from '../../support/release-status';

const SLOW = '2026.47.0-slow';
const FAST = {
  readinessTimeout: '15 seconds',
  canary: { sampleSize: 20 },
  watch: { duration: '1 second', probesPerSecond: 5, maxP99Ms: 1500 },
  keepBlueWarm: 0,
  drainTimeout: '10 seconds',
  regression: { requests: 40 },
};
const account = (accountId: string, extra: object) => ({
  accountId,
  useCases: ['fraud-score'],
  instanceCount: 1,
  currentVersion: TEST_VERSIONS.current,
  ...extra,
});
const CUSTOMERS = ['cust-early', 'cust-late'];

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [
      account('qa-1', { internal: true }),
      account('cust-early', { earlyAccess: true }),
      account('cust-late', { earlyAccess: false }),
    ],
    versions: [{ version: SLOW, initMs: 150, fault: { type: 'slow', delayMs: 300 } }],
  });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

function start(input: StagedReleaseInput): Promise<ReleaseHandle> {
  return releases.start(env.client, input, { taskQueue: worker.taskQueue });
}

function waitForRelease(handle: ReleaseHandle, what: string, ok: (s: StatusWithAccounts) => boolean) {
  return waitFor(
    `the release to get to: ${what}`,
    async () => {
      const status = await statusWithAccounts(handle).catch(() => undefined);
      return status && ok(status) ? status : undefined;
    },
    90_000,
    250,
  );
}

const serving = async (accountId: string) => (await fleet.provider.accountState(accountId)).version;

test('a slower version fails wave 0: an issue opens, the release holds, no customer account is touched', async () => {
  const handle = await start({
    releaseId: 'w0-slow',
    version: SLOW,
    schedule: { stageLength: '1 day' },
    strategy: FAST,
  });
  const held = await waitForRelease(handle, 'held by wave 0', (s) => s.stage === 'held');
  expect(held.validation).toMatchObject({ state: 'failed', version: SLOW });
  const [run] = held.validation!.regressions;
  expect(run).toMatchObject({ accountId: 'qa-1', verdict: 'failed', baseline: { version: TEST_VERSIONS.current } });
  expect(run.candidate.p50Ms).toBeGreaterThanOrEqual(300);
  expect(held.openIssues).toEqual([expect.objectContaining({ source: 'automated', accounts: ['qa-1'] })]);
  expect(held.holdReason).toContain('pre-release validation of 2026.47.0-slow failed on qa-1');
  for (const id of ['qa-1', ...CUSTOMERS]) {
    expect(held.accounts[id].state).toBe('pending');
    expect(await serving(id)).toBe(TEST_VERSIONS.current);
  }
  expect(await fleet.strays()).toEqual([]); // the regression run's instances are gone

  await releases.update.abort(handle, { reason: 'the version regressed on wave 0' });
  const done = await handle.result();
  expect(done.stage).toBe('aborted');
  for (const id of CUSTOMERS) expect(done.accounts[id].outcome).toBe('not-released');
}, 120_000);

test('a healthy version passes wave 0 (the internal account swapped to it) before Day 1 goes on', async () => {
  const handle = await start({
    releaseId: 'w0-ok',
    version: TEST_VERSIONS.next,
    schedule: { stageLength: '1 day' },
    strategy: FAST,
  });
  const baking = await waitForRelease(handle, 'wave 1 baking', (s) => s.stage === 'bake');
  expect(baking.validation).toMatchObject({ state: 'passed', version: TEST_VERSIONS.next });
  expect(baking.validation!.regressions).toEqual([expect.objectContaining({ accountId: 'qa-1', verdict: 'passed' })]);
  expect(baking.accounts['qa-1']).toMatchObject({ wave: 0, outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(baking.accounts['cust-early']).toMatchObject({ wave: 1, outcome: 'promoted' });
  expect(baking.accounts['cust-late'].state).toBe('pending');
  expect(await serving('qa-1')).toBe(TEST_VERSIONS.next);
  const events = baking.timeline.map((e) => e.event);
  expect(events.indexOf(`wave 0 passed on ${TEST_VERSIONS.next}`)).toBeLessThan(events.indexOf('stage wave-1'));

  await releases.update.abort(handle, { reason: 'end of test', rollback: true });
  expect((await handle.result()).stage).toBe('aborted');
  expect(await serving('qa-1')).toBe(TEST_VERSIONS.current);
}, 180_000);
