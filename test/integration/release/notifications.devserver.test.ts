/**
 * Release notifications against a real webhook receiver (a small HTTP server in the test) on the
 * real dev server, with stand-in swaps (test/fixtures/release/workflows.ts):
 *
 *   - a release with an automatic wave-1 rollback, a patch and completion sends exactly its
 *     sequence of notifications, in order, each id received (no id lost), every one signed, also
 *     when its worker process is killed mid-delivery; the only repeats are of ids first received
 *     before the kill;
 *   - a receiver that answers 503 and then refuses connections for a minute delays nothing: the
 *     release keeps its schedule and completes while the receiver is still down, its status shows
 *     the notifications as undelivered with the last error, and they arrive in order once it is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createNotifyActivities } from '../../../src/activities/notify';
import { releases } from '../../../src/client';
import type { ReleaseResultView, ReleaseStatusView } from '../../../src/domain/release/view';
import { createLogger } from '../../../src/logging/logger';
import { webhookSink } from '../../../src/notify/webhook';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { quietBundlerLogger, startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';
import { sleep, waitFor } from '../../harness/wait';
import { WebhookReceiver, type Delivery } from '../../support/webhook-receiver';

const FIXTURE_WORKFLOWS = path.join(REPO_ROOT, 'test', 'fixtures', 'release', 'workflows.ts');
const WORKER_ENTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'release', 'notify-worker-process.ts');
const SECRET = 'notification-test-secret-0123456789';

describe('release notifications to a webhook', () => {
  let env: TestWorkflowEnvironment;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-notify-'));
  const bundlePath = path.join(dir, 'workflows.js');
  const workers: ChildProcess[] = [];
  const receivers: WebhookReceiver[] = [];
  let inProcess: TestWorker | undefined;

  beforeAll(async () => {
    env = await startDevServer();
    const { code } = await bundleWorkflowCode({ workflowsPath: FIXTURE_WORKFLOWS, logger: quietBundlerLogger });
    fs.writeFileSync(bundlePath, code);
  });
  afterAll(async () => {
    await inProcess?.stop();
    for (const child of workers) await stopProcess(child, 'SIGTERM');
    for (const receiver of receivers) await receiver.close();
    await env?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startReceiver(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(SECRET);
    receivers.push(receiver);
    await receiver.listen();
    return receiver;
  }

  function startWorkerProcess(
    taskQueue: string,
    receiver: WebhookReceiver,
    registry: { early: string[]; late: string[] },
  ): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: env.namespace ?? 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        WORKFLOW_BUNDLE: bundlePath,
        REGISTRY: JSON.stringify(registry),
        NOTIFY_WEBHOOK_URL: receiver.url,
        NOTIFY_WEBHOOK_SECRET: SECRET,
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

  function expectSignedAndOrdered(receiver: WebhookReceiver): void {
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(receiver.deliveries.every((d) => d.idHeader === d.notification.id)).toBe(true);
    const seqs = receiver.firstArrivals().map((d) => d.notification.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }

  it('sends the exact sequence of a release with a rollback, a patch and completion, each id once, across a worker kill', async () => {
    const receiver = await startReceiver();
    // The worker is killed while the receiver holds its answer to "held": that delivery's attempt is lost.
    receiver.holdType = 'held';
    receiver.holdMs = 3_000;
    const taskQueue = `notify-${randomUUID()}`;
    const registry = { early: ['fragile-1'], late: ['acct-1', 'acct-2'] };
    const first = await startWorkerProcess(taskQueue, receiver, registry);
    const handle = await releases.start(
      env.client,
      {
        releaseId: 'notify-crash',
        version: '2026.47.0',
        // Wave 1 (its one account rolls back) ends at once; the release holds on Day 2 for the open issue.
        schedule: { stageLength: '10 seconds' },
        strategy: { keepBlueWarm: 300 },
      },
      { taskQueue },
    );

    await waitFor(
      'the held notification to arrive',
      () => (receiver.types().includes('held') ? true : undefined),
      60_000,
      50,
    );
    // Deliveries are counted, not timed: one recorded in the same millisecond as the kill began still came before it.
    const arrivedBeforeKill = receiver.deliveries.length;
    await stopProcess(first, 'SIGKILL');
    await startWorkerProcess(taskQueue, receiver, registry);

    await waitFor(
      'the release to hold',
      async () => ((await releases.status(handle)).stage === 'held' ? true : undefined),
      60_000,
      200,
    );
    await releases.update.patch(handle, { version: '2026.47.1-patch', reason: 'fixes the canary mismatch' });
    const result = (await handle.result()) as ReleaseResultView;
    expect(result.stage).toBe('completed');
    expect(result.undelivered).toEqual({ sinks: ['webhook'], count: 0 });

    expect(receiver.types()).toEqual([
      'planned',
      'started',
      'account-rolled-back',
      'issue-opened',
      'stage-entered bake',
      'held',
      'patch-given',
      'issue-closed',
      'stage-entered patch-wave-1',
      'stage-entered bake',
      'stage-entered wave-2',
      'completed',
    ]);
    const ids = receiver.firstArrivals().map((d) => d.notification.id);
    expect(ids.every((id) => id.startsWith('notify-crash/'))).toBe(true);
    expectSignedAndOrdered(receiver);
    const rollback = receiver.firstArrivals().find((d) => d.notification.type === 'account-rolled-back')!;
    expect(rollback.notification.details).toMatchObject({ accountId: 'fragile-1', wave: 1, fromVersion: '2026.46.0' });
    // Repeats happen only across the kill: each repeated id had arrived before the worker died.
    const idsBeforeKill = new Set(receiver.deliveries.slice(0, arrivedBeforeKill).map((d) => d.notification.id));
    for (const repeat of receiver.duplicates()) expect(idsBeforeKill).toContain(repeat.notification.id);
    expect(receiver.duplicates().map((d) => d.notification.type)).toContain('held');
  }, 240_000);

  it('delays nothing while the receiver is down for a minute, shows what is undelivered, and delivers in order once it is back', async () => {
    const receiver = await startReceiver();
    receiver.mode = '503';
    inProcess = await startTestWorker(env, {
      workflowsPath: FIXTURE_WORKFLOWS,
      activities: mockReleaseActivities(fakeRegistry(['early-1', 'early-2'], ['acct-1', 'acct-2']), {
        notify: createNotifyActivities({
          sinks: [webhookSink({ url: receiver.url, secret: SECRET })],
          logger: createLogger('silent'),
        }),
      }),
    });
    const downAt = Date.now();
    const handle = await releases.start(
      env.client,
      {
        releaseId: 'notify-down',
        version: '2026.47.0',
        schedule: { stageLength: '10 seconds' },
        strategy: { keepBlueWarm: 300 },
      },
      { taskQueue: inProcess.taskQueue },
    );

    const undelivered = await waitFor(
      'the status to show undelivered notifications and the 503',
      async () => {
        const now = (await releases.status(handle)).undelivered;
        return now && now.count >= 2 && /HTTP 503/.test(now.lastError?.message ?? '') ? now : undefined;
      },
      30_000,
      200,
    );
    expect(undelivered.oldest).toMatchObject({ id: 'notify-down/1', type: 'planned' });

    // Half a minute of 503, then half a minute of refused connections.
    await sleep(Math.max(0, downAt + 30_000 - Date.now()));
    receiver.mode = 'up';
    await receiver.close();
    const refused = await waitFor(
      'the status to show the refused connection',
      async () => {
        const now = (await releases.status(handle)).undelivered;
        return now && /no answer from/.test(now.lastError?.message ?? '') ? now : undefined;
      },
      30_000,
      200,
    );
    expect(refused.lastError?.sink).toBe('webhook');
    await sleep(Math.max(0, downAt + 60_000 - Date.now()));
    const stillDown = await releases.status(handle);
    await receiver.listen();
    const backAt = Date.now();

    // The release kept its schedule: it completed while the receiver was down, wave 2 on time.
    expect(stillDown.stage).toBe('completed');
    expect(receiver.deliveries).toEqual([]);
    expect(receiver.refused).toBeGreaterThan(0);
    const result = (await handle.result()) as ReleaseStatusView;
    const stageAt = (stage: string) => Date.parse(result.timeline.find((e) => e.event === `stage ${stage}`)!.at);
    expect(stageAt('wave-2') - Date.parse(result.schedule.day3At)).toBeLessThan(3_000);
    expect(stageAt('completed')).toBeLessThan(backAt);

    expect(result.undelivered).toEqual({ sinks: ['webhook'], count: 0 });
    expect(receiver.types()).toEqual(['planned', 'started', 'stage-entered bake', 'stage-entered wave-2', 'completed']);
    expect(receiver.duplicates()).toEqual([]);
    expectSignedAndOrdered(receiver);
    expect(receiver.deliveries.every((d: Delivery) => d.receivedAt >= backAt)).toBe(true);
  }, 240_000);
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
