/**
 * The worker process is killed (SIGKILL) in the middle of a swap, with green promoted and being
 * watched; a new worker process takes over. The swap completes once: one provisioning, one
 * promotion, no duplicate instances, the watch resumed by a retry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { swaps } from '../../../src/client';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { BUNDLE_ENV, startDevServer } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';
import { account, FAST_STRATEGY } from './support/stack';
import { waitFor } from '../../harness/wait';
import { waitForHeartbeat } from '../../support/history';

const WORKER_ENTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'deployment', 'worker-process.ts');

describe('a worker killed mid-swap', () => {
  let env: TestWorkflowEnvironment;
  let fleet: TestFleet;
  const workers: ChildProcess[] = [];
  const taskQueue = `crash-${randomUUID()}`;

  beforeAll(async () => {
    env = await startDevServer();
    fleet = await startTestFleet({ accounts: [account('crash-1', TEST_VERSIONS.current, { instanceCount: 2 })] });
  });
  afterAll(async () => {
    for (const child of workers) await stopProcess(child, 'SIGTERM');
    await fleet?.stop({ expectNoStrays: true });
    await env?.teardown();
  });

  function startWorkerProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        FLEET_URL: fleet.url,
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

  it('completes the swap exactly once after a new worker takes over', async () => {
    const first = await startWorkerProcess();
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

    await startWorkerProcess();
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next, leftBehind: [] });
    expect(result.instances?.green).toHaveLength(2);

    const state = await fleet.provider.accountState('crash-1');
    expect(state.pool.map((i) => i.instanceId).sort()).toEqual([...result.instances!.green].sort());
    const running = (await fleet.provider.inventory()).filter((i) => i.accountId === 'crash-1');
    expect(running).toHaveLength(2);
    expect(await fleet.strays()).toEqual([]);

    const { events } = await handle.fetchHistory();
    const scheduled = (events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : [],
    );
    expect(scheduled.filter((name) => name === 'provisionGreen')).toHaveLength(1);
    expect(scheduled.filter((name) => name === 'promoteGreen')).toHaveLength(1);
    const watchStarted = (events ?? []).find(
      (e) => e.activityTaskStartedEventAttributes && Number(e.activityTaskStartedEventAttributes.attempt) > 1,
    );
    expect(watchStarted).toBeDefined(); // the interrupted watch was retried on the new worker
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
