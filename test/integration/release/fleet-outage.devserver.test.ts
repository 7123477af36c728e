/**
 * A release on the real stack (dev server, real blue-green swaps, the real fleet daemon behind a
 * TCP proxy) while the fleet's control plane is cut off for 20 s during a wave-1 watch: the swap
 * stalls and tells the release, which shows it, opens an issue once the stall passes its
 * threshold, rolls nothing back, closes the issue by itself when the swap recovers, and completes.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases, swaps } from '../../../src/client';
import { startTcpProxy, type TcpProxy } from '../../../src/dev-stack/tcp-proxy';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { createLogger } from '../../../src/logging/logger';
import { DaemonFleetProvider } from '../../../src/platform/daemon-client';
import { startTestFleet, TEST_VERSIONS, type TestFleet, oneInstanceAccount } from '../../harness/fleet';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { waitForHeartbeat } from '../../support/history';
import { statusWithAccounts } from '../../support/release-status';

const account = oneInstanceAccount;

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let proxy: TcpProxy;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({ accounts: [account('out-early', true), account('out-late', false)] });
  const { hostname, port } = new URL(fleet.url);
  proxy = await startTcpProxy({ host: hostname, port: Number(port) });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    activities: createActivities({
      fleet: new DaemonFleetProvider(proxy.url, { timeoutMs: 20_000 }),
      logger: createLogger('silent'),
    }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await proxy?.close();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

test('a 20 s fleet outage during a wave-1 watch stalls the swap, opens an issue that closes by itself, and rolls nothing back', async () => {
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'outage-1',
      version: TEST_VERSIONS.next,
      schedule: { stageLength: '8 seconds' },
      strategy: {
        watch: { duration: '6 seconds', probesPerSecond: 5, maxP99Ms: 1500 },
        keepBlueWarm: 0,
        canary: { sampleSize: 20 },
        faults: { stallAfter: '3 seconds', issueAfter: '6 seconds' },
      },
    },
    { taskQueue: worker.taskQueue },
  );
  const swap = swaps.getHandle(env.client, {
    accountId: 'out-early',
    version: TEST_VERSIONS.next,
    releaseId: 'outage-1',
  });
  await waitFor(
    'the wave-1 swap to watch green',
    async () => ((await swaps.status(swap).catch(() => undefined))?.step === 'watch' ? true : undefined),
    90_000,
    100,
  );
  await waitForHeartbeat(swap, 'watchGreen');
  const outage = proxy.cutFor(20_000);

  const seen = await waitFor(
    'the release to open an issue about the stalled swap',
    async () => {
      const status = await statusWithAccounts(handle);
      return status.openIssues.length > 0 ? status : undefined;
    },
    30_000,
    250,
  );
  expect(proxy.isCut).toBe(true);
  expect(seen.stalls).toEqual([
    expect.objectContaining({
      accountId: 'out-early',
      step: 'watch',
      reason: expect.stringMatching(/fleet unreachable/),
    }),
  ]);
  expect(seen.accounts['out-early']).toMatchObject({
    state: 'deploying',
    stalled: expect.objectContaining({ step: 'watch' }),
  });
  expect(seen.openIssues).toEqual([
    expect.objectContaining({
      source: 'automated',
      summary: expect.stringMatching(/^fleet unreachable for \d+s: 1 swap\(s\) stalled, nothing rolled back/),
    }),
  ]);
  await outage;

  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.accounts['out-early']).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(result.accounts['out-late']).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(result.stalls).toBeUndefined();
  expect(result.openIssues).toEqual([]);
  expect(result.timeline.map((e) => e.event)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^stalled swaps recovered/)]),
  );
  for (const accountId of ['out-early', 'out-late'])
    expect((await fleet.provider.accountState(accountId)).version).toBe(TEST_VERSIONS.next);
});
