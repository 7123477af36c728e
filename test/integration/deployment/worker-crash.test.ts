/**
 * The worker process is killed (SIGKILL) in the middle of a swap and a new worker process takes
 * over. A lost worker is an infrastructure fault, never a verdict: the swap completes once (one
 * provisioning, one promotion, no duplicate instances), however often the worker dies during the
 * readiness wait or the watch, and a rollback interrupted by crashes and an outage finishes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { swaps, type SwapHandle } from '../../../src/client';
import { startTcpProxy, type TcpProxy } from '../../../src/dev-stack/tcp-proxy';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { BUNDLE_ENV, startDevServer } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';
import { account, FAST_STRATEGY } from './support/stack';
import { waitFor } from '../../harness/wait';
import { scheduledActivities, waitForHeartbeat, waitForRunningAttempt } from '../../support/history';

const WORKER_ENTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'deployment', 'worker-process.ts');
/** Healthy, but takes 8 s to initialize: long enough to kill the worker during the readiness wait. */
const SLOW_START = '2026.47.0-slow-start';

describe('a worker killed mid-swap', () => {
  let env: TestWorkflowEnvironment;
  let fleet: TestFleet;
  let proxy: TcpProxy;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    env = await startDevServer();
    fleet = await startTestFleet({
      accounts: [
        account('crash-1', TEST_VERSIONS.current, { instanceCount: 2 }),
        account('crash-2'),
        account('crash-3'),
      ],
      versions: [{ version: SLOW_START, initMs: 8_000 }],
    });
    const { hostname, port } = new URL(fleet.url);
    proxy = await startTcpProxy({ host: hostname, port: Number(port) });
  });
  afterAll(async () => {
    for (const child of workers) await stopProcess(child, 'SIGTERM');
    await proxy?.close();
    await fleet?.stop({ expectNoStrays: true });
    await env?.teardown();
  });

  function startWorkerProcess(taskQueue: string, fleetUrl = fleet.url): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        FLEET_URL: fleetUrl,
        ...(process.env[BUNDLE_ENV] ? { WORKFLOW_BUNDLE: process.env[BUNDLE_ENV] } : {}),
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('worker-ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    });
  }

  /**
   * Kills the worker while an attempt of `activityType` runs on it (a new attempt each time), then
   * starts a new worker; `times` over.
   */
  async function killDuring(
    handle: SwapHandle,
    activityType: string,
    times: number,
    worker: ChildProcess,
    taskQueue: string,
  ): Promise<ChildProcess> {
    let current = worker;
    let attempt = 0;
    for (let kill = 0; kill < times; kill++) {
      attempt = await waitForRunningAttempt(handle, activityType, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 800));
      await stopProcess(current, 'SIGKILL');
      current = await startWorkerProcess(taskQueue);
    }
    return current;
  }

  function expectOneOfEach(events: Awaited<ReturnType<SwapHandle['fetchHistory']>>['events']): void {
    const scheduled = scheduledActivities(events ?? []);
    expect(scheduled.filter((name) => name === 'provisionGreen')).toHaveLength(1);
    expect(scheduled.filter((name) => name === 'promoteGreen')).toHaveLength(1);
  }

  it('completes the swap exactly once after a new worker takes over', async () => {
    const taskQueue = `crash-${randomUUID()}`;
    const first = await startWorkerProcess(taskQueue);
    const input = {
      accountId: 'crash-1',
      version: TEST_VERSIONS.next,
      strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '8 seconds' } },
    };
    const handle = await swaps.start(env.client, input, { taskQueue });

    await waitFor(
      'the swap to reach its watch',
      async () => ((await swaps.status(handle)).step === 'watch' ? true : undefined),
      60_000,
      100,
    );
    // Killed once the watch runs on the first worker (its heartbeat is recorded), so a retry must take it over.
    await waitForHeartbeat(handle, 'watchGreen');
    await stopProcess(first, 'SIGKILL');
    expect((await fleet.provider.accountState('crash-1')).version).toBe(TEST_VERSIONS.next);

    await startWorkerProcess(taskQueue);
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next, leftBehind: [] });
    expect(result.instances?.green).toHaveLength(2);

    const state = await fleet.provider.accountState('crash-1');
    expect(state.pool.map((i) => i.instanceId).sort()).toEqual([...result.instances!.green].sort());
    const running = (await fleet.provider.inventory()).filter((i) => i.accountId === 'crash-1');
    expect(running).toHaveLength(2);
    expect(await fleet.strays()).toEqual([]);

    const { events } = await handle.fetchHistory();
    expectOneOfEach(events);
    const watchStarted = (events ?? []).find(
      (e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.attempt) > 1,
    );
    expect(watchStarted).toBeDefined(); // the interrupted watch was retried on the new worker
  });

  it('killed again and again during the readiness wait and the watch, the swap still promotes: a lost worker is no verdict', async () => {
    const taskQueue = `crash-${randomUUID()}`;
    let worker = await startWorkerProcess(taskQueue);
    const handle = await swaps.start(
      env.client,
      {
        accountId: 'crash-2',
        version: SLOW_START,
        strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '6 seconds' } },
      },
      { taskQueue },
    );
    worker = await killDuring(handle, 'awaitGreenReady', 2, worker, taskQueue);
    worker = await killDuring(handle, 'watchGreen', 4, worker, taskQueue);

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: SLOW_START, leftBehind: [] });
    const { events } = await handle.fetchHistory();
    expectOneOfEach(events);
    expect(scheduledActivities(events ?? [])).not.toContain('routeBackToBlue');
    expect((await fleet.provider.accountState('crash-2')).version).toBe(SLOW_START);
    expect((await fleet.strays()).filter((i) => i.accountId === 'crash-2')).toEqual([]);
    await stopProcess(worker, 'SIGTERM');
    // Six worker processes started one after another, each kill waited out by a 5-s heartbeat
    // timeout: about 80 s on a quiet machine, longer on a loaded one.
  }, 300_000);

  it('a rollback blocked by a 45 s outage, with the worker killed meanwhile, shows as stalled and still finishes: traffic on blue, no green left', async () => {
    const taskQueue = `crash-${randomUUID()}`;
    let worker = await startWorkerProcess(taskQueue, proxy.url);
    const handle = await swaps.start(
      env.client,
      {
        accountId: 'crash-3',
        version: TEST_VERSIONS.next,
        strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '2 minutes' } },
      },
      { taskQueue },
    );
    await waitForHeartbeat(handle, 'watchGreen');
    const outage = proxy.cutFor(45_000);
    await handle.cancel(); // the compensations now run against a fleet that does not answer
    for (let kill = 0; kill < 3; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 3_000 + Math.random() * 4_000));
      await stopProcess(worker, 'SIGKILL');
      worker = await startWorkerProcess(taskQueue, proxy.url);
    }
    // While the fleet does not answer, the swap says so instead of giving up.
    const stalled = await waitFor(
      'the rollback to show as stalled',
      async () => {
        const status = await swaps.status(handle).catch(() => undefined);
        return status?.stalled?.step === 'rollback' ? status : undefined;
      },
      45_000,
      250,
    );
    expect(proxy.isCut).toBe(true);
    expect(stalled.stalled?.reason).toMatch(/fleet unreachable/);
    await outage;

    await expect(handle.result()).rejects.toThrow(/cancel/i);
    const status = await swaps.status(handle);
    expect(status).toMatchObject({ outcome: 'cancelled', step: 'done' });
    expect(status.reason).not.toMatch(/ROLLBACK INCOMPLETE/);
    const state = await fleet.provider.accountState('crash-3');
    expect(state.version).toBe(TEST_VERSIONS.current);
    expect((await fleet.strays()).filter((i) => i.accountId === 'crash-3')).toEqual([]);
    await stopProcess(worker, 'SIGTERM');
  });
});

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
