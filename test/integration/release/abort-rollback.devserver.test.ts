/**
 * Abort with rollback restores accounts, on the real stack (dev server, real fleet, real swaps):
 * reverts are swaps of their own kind (no canary against the bad version, no approval wait, no
 * window, maintenance or migration in a major release), and before reverting, accounts whose swap
 * was terminated half-way are reconciled from the fleet's actual state: reverted when they serve
 * the release's version, cleaned of the swap's leftovers when they do not. Record the replayed
 * history of a reconciled release again on purpose with
 *   SAVE_RELEASE_HISTORY=1 npx jest test/integration/release/abort-rollback.devserver.test.ts -t "after its promotion"
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases, swaps, type ReleaseHandle } from '../../../src/client';
import type { StagedReleaseInput } from '../../../src/domain/release/input';
import { createLogger } from '../../../src/logging/logger';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { statusWithAccounts, type StatusWithAccounts } from '../../support/release-status';

const FAST = {
  readinessTimeout: '15 seconds',
  canary: { sampleSize: 20 },
  watch: { duration: '1 second', probesPerSecond: 5, maxP99Ms: 1500 },
  keepBlueWarm: 0,
  drainTimeout: '10 seconds',
};
const early = (accountId: string, extra: object = {}) => ({
  accountId,
  earlyAccess: true,
  useCases: ['fraud-score'],
  instanceCount: 1,
  currentVersion: TEST_VERSIONS.current,
  ...extra,
});

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [
      early('rb-errors'),
      early('rb-major', { maintenanceWindow: { start: '-1m', end: '+1h' } }),
      early('rb-terminated-live'),
      early('rb-terminated-green'),
    ],
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
const straysOf = async (accountId: string) => (await fleet.strays()).filter((i) => i.accountId === accountId);
const swapOf = (accountId: string, version: string, releaseId: string) =>
  swaps.getHandle(env.client, { accountId, version, releaseId });

test('an account on an erroring version is reverted at once: no canary against it, no approval wait', async () => {
  const handle = await start({
    releaseId: 'rb-1',
    version: TEST_VERSIONS.errorsAfterPromotion,
    accounts: ['rb-errors'],
    schedule: { stageLength: '1 day' },
    // Half the answers fail after promotion, and this watch lets it through.
    strategy: { ...FAST, watch: { ...FAST.watch, maxErrorRate: 0.9 }, approvalTimeout: '30 minutes' },
  });
  await waitForRelease(handle, 'wave 1 baking', (s) => s.stage === 'bake');
  expect(await serving('rb-errors')).toBe(TEST_VERSIONS.errorsAfterPromotion);

  await releases.update.abort(handle, { reason: 'errors in production', rollback: true });
  const done = await handle.result();
  expect(done.stage).toBe('aborted');
  expect(done.accounts['rb-errors']).toMatchObject({ outcome: 'reverted', version: TEST_VERSIONS.current });
  expect(await serving('rb-errors')).toBe(TEST_VERSIONS.current);
  const revert = await swapOf('rb-errors', TEST_VERSIONS.current, 'rb-1').result();
  expect(revert).toMatchObject({ mode: 'revert', outcome: 'promoted' });
  expect(revert.checks.map((c) => c.check)).toEqual([
    'initialization',
    'core-functionality',
    'use-case-readiness',
    'watch',
  ]);
  expect(await straysOf('rb-errors')).toEqual([]);
});

test('a major release is reverted without a window, maintenance mode or a migration', async () => {
  const handle = await start({
    releaseId: 'rb-2',
    version: TEST_VERSIONS.major,
    kind: 'major',
    accounts: ['rb-major'],
    schedule: { stageLength: '1 day' },
    // The window is open now; announced with no lead time, the upgrade runs in it (this test is about the revert).
    strategy: { ...FAST, announceAhead: 0 },
  });
  await waitForRelease(handle, 'wave 1 baking', (s) => s.stage === 'bake');
  expect(await serving('rb-major')).toBe(TEST_VERSIONS.major);
  // The window has passed by the time on-call aborts.
  const patched = await fetch(`${fleet.url}/accounts/rb-major`, {
    method: 'PATCH',
    body: JSON.stringify({ maintenanceWindow: null }),
  });
  expect(patched.status).toBe(200);

  await releases.update.abort(handle, { reason: 'data issue', rollback: true });
  const done = await handle.result();
  expect(done.accounts['rb-major']).toMatchObject({ outcome: 'reverted', version: TEST_VERSIONS.current });
  const revert = await swapOf('rb-major', TEST_VERSIONS.current, 'rb-2').result();
  expect(revert).toMatchObject({ mode: 'revert', outcome: 'promoted' });
  expect(revert.steps.map((s) => s.step)).not.toEqual(expect.arrayContaining(['maintenance']));
  expect(revert.steps.map((s) => s.step)).not.toEqual(expect.arrayContaining(['migration']));
  expect(await serving('rb-major')).toBe(TEST_VERSIONS.current);
  expect((await fleet.provider.accountState('rb-major')).maintenance.enabled).toBe(false);
});

test('a swap terminated after its promotion is reconciled from the fleet and reverted', async () => {
  const handle = await start({
    releaseId: 'rb-3',
    version: TEST_VERSIONS.next,
    accounts: ['rb-terminated-live'],
    schedule: { stageLength: '1 day' },
    strategy: { ...FAST, watch: { ...FAST.watch, duration: '5 minutes' } },
  });
  const child = swapOf('rb-terminated-live', TEST_VERSIONS.next, 'rb-3');
  await waitFor('the swap to watch green', async () =>
    (await swaps.status(child).catch(() => undefined))?.step === 'watch' ? true : undefined,
  );
  await child.terminate('operator: stuck swap');
  const held = await waitForRelease(
    handle,
    'the failure recorded',
    (s) => s.accounts['rb-terminated-live'].state === 'done',
  );
  expect(held.accounts['rb-terminated-live']).toMatchObject({ outcome: 'failed' });
  expect(await serving('rb-terminated-live')).toBe(TEST_VERSIONS.next);

  await releases.update.abort(handle, { reason: 'stuck release', rollback: true });
  const done = await handle.result();
  expect(done.accounts['rb-terminated-live']).toMatchObject({ outcome: 'reverted', version: TEST_VERSIONS.current });
  expect(await serving('rb-terminated-live')).toBe(TEST_VERSIONS.current);
  const reconciled = done.timeline.find((e) => e.event === 'rb-terminated-live reconciled');
  expect(reconciled?.detail).toMatch(/serves 2026\.47\.0.*revert to 2026\.46\.0/);
  expect(await straysOf('rb-terminated-live')).toEqual([]);
  if (process.env.SAVE_RELEASE_HISTORY) {
    const file = path.join(
      __dirname,
      '..',
      '..',
      'fixtures',
      'release',
      'histories',
      'reconciled-and-reverted.history.bin',
    );
    fs.writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
  }
});

test("a swap terminated before its promotion is reconciled: the account stays, the swap's green is removed", async () => {
  const handle = await start({
    releaseId: 'rb-4',
    version: TEST_VERSIONS.next,
    accounts: ['rb-terminated-green'],
    schedule: { stageLength: '1 day' },
    strategy: FAST,
  });
  const child = swapOf('rb-terminated-green', TEST_VERSIONS.next, 'rb-4');
  await waitFor('the swap to start', async () =>
    (await swaps.status(child).catch(() => undefined)) ? true : undefined,
  );
  await releases.update.pause(handle, { reason: 'hold it before the promotion' });
  await waitFor('the swap to be held with green validated', async () => {
    const status = await swaps.status(child);
    return status.held && status.checks.length === 4 ? true : undefined;
  });
  await child.terminate('operator: wrong account');
  expect(await straysOf('rb-terminated-green')).toHaveLength(1);
  await waitForRelease(handle, 'the failure recorded', (s) => s.accounts['rb-terminated-green'].state === 'done');

  await releases.update.abort(handle, { reason: 'start over', rollback: true });
  const done = await handle.result();
  expect(done.accounts['rb-terminated-green']).toMatchObject({ outcome: 'failed', version: TEST_VERSIONS.current });
  expect(done.accounts['rb-terminated-green'].reason).toMatch(/reconciled/);
  const reconciled = done.timeline.find((e) => e.event === 'rb-terminated-green reconciled');
  expect(reconciled?.detail).toMatch(/on 2026\.46\.0.*removed 1 leftover instance/);
  expect(await serving('rb-terminated-green')).toBe(TEST_VERSIONS.current);
  expect(await straysOf('rb-terminated-green')).toEqual([]);
});
