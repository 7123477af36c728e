/**
 * The README's upgrade runbook, run in the middle of a release on the dev server with the real CLI.
 * Build A (test/fixtures/versioning/build-a.ts: the real release, stand-in swaps of 5 s) runs a
 * release; wave 1 is in flight (held by a pause) when build B (build A plus a patched() change to
 * the release workflow) starts beside it and the runbook's `temporal` lines make B current. Then:
 * the swaps started before the switch finish on A, later ones run on B, the release finishes on B
 * (B's change ran: the memo), A reports drained, no workflow task failed anywhere. The second test
 * does the same and rolls back to A half-way through wave 2.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { temporal } from '@temporalio/proto';
import { releases } from '../../../src/client';
import { deploymentWorkflowId } from '../../../src/domain/deployment/swap';
import { releaseWorkflowId } from '../../../src/domain/release/input';
import { createLogger } from '../../../src/logging/logger';
import { makeCurrent } from '../../../src/versioning/current-version';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { FINISHED_BY_MEMO } from '../../fixtures/versioning/build-b';
import { startDevServer, startTestWorker, VERSIONING_TEST_CONFIG, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { runbookSteps, runStep, type RunbookVars } from './runbook-block';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'versioning');
const DEPLOYMENT = 'staged-release';
const TASK_QUEUE = 'staged-release';
const BUILD = { A: 'build-a', B: 'build-b' } as const;
const EARLY = ['early-0', 'early-1', 'early-2'];
const LATE = ['late-0', 'late-1'];
const VERSION = '2026.47.0';

const steps = runbookSteps();
function startBuild(env: TestWorkflowEnvironment, build: keyof typeof BUILD): Promise<TestWorker> {
  return startTestWorker(env, {
    workflowsPath: path.join(FIXTURES, build === 'A' ? 'build-a.ts' : 'build-b.ts'),
    taskQueue: TASK_QUEUE,
    activities: mockReleaseActivities(fakeRegistry(EARLY, LATE)),
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version: { deploymentName: DEPLOYMENT, buildId: BUILD[build] },
      defaultVersioningBehavior: 'AUTO_UPGRADE', // as src/worker.ts: the swaps' PINNED is their own
    },
  });
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

async function history(env: TestWorkflowEnvironment, workflowId: string): Promise<HistoryEvent[]> {
  return (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** The build of every completed workflow task of a workflow, in order. */
async function buildsOf(env: TestWorkflowEnvironment, workflowId: string): Promise<string[]> {
  return (await history(env, workflowId))
    .map((event) => event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId)
    .filter((buildId): buildId is string => typeof buildId === 'string');
}

const swapId = (releaseId: string, accountId: string) => deploymentWorkflowId(accountId, VERSION, releaseId);

/** Every workflow of the namespace: none had a failed workflow task (no non-determinism, no crash). */
async function failedWorkflowTasks(env: TestWorkflowEnvironment): Promise<string[]> {
  const failed: string[] = [];
  for await (const execution of env.client.workflow.list()) {
    for (const event of await history(env, execution.workflowId))
      if (event.workflowTaskFailedEventAttributes)
        failed.push(`${execution.workflowId}: ${event.workflowTaskFailedEventAttributes.failure?.message ?? ''}`);
  }
  return failed;
}

interface Stack {
  env: TestWorkflowEnvironment;
  workers: TestWorker[];
}

async function startStack(): Promise<Stack> {
  const env = await startDevServer({ dynamicConfig: VERSIONING_TEST_CONFIG });
  return { env, workers: [] };
}

async function stopStack(stack: Stack | undefined): Promise<void> {
  for (const worker of stack?.workers ?? []) await worker.stop();
  await stack?.env.teardown();
}

/**
 * Build A current (made so by the worker's own first-build rule), a release started on it, wave 1
 * in flight and held by a pause; build B started beside A and made current by the runbook.
 */
async function releaseSwitchedToB(stack: Stack, releaseId: string) {
  const { env } = stack;
  const vars: RunbookVars = { OLD_BUILD: BUILD.A, NEW_BUILD: BUILD.B };
  const workerA = await startBuild(env, 'A');
  stack.workers.push(workerA);
  await makeCurrent(
    env.nativeConnection,
    'default',
    { deploymentName: DEPLOYMENT, buildId: BUILD.A },
    'if-none',
    createLogger('silent'),
  );

  const handle = await releases.start(
    env.client,
    {
      releaseId,
      version: VERSION,
      schedule: { stageLength: '4 seconds' },
      strategy: { concurrency: { wave1: EARLY.length, wave2: 1 }, keepBlueWarm: 5000 },
    },
    { taskQueue: TASK_QUEUE, workflowId: releaseWorkflowId(releaseId) },
  );
  await waitFor(
    'wave 1 in flight',
    async () => ((await releases.status(handle)).waves.wave1.deploying === EARLY.length ? true : undefined),
    60_000,
    100,
  );
  await releases.update.pause(handle, { reason: 'updating the orchestrator' });

  // 1. the new build beside the old one (in-process: the same worker options as `npm run worker`).
  expect(steps.get(1)).toEqual([expect.stringContaining('npm run worker')]);
  const workerB = await startBuild(env, 'B');
  stack.workers.push(workerB);
  // 2. it polls: its version lists the task queue.
  await waitFor(
    'the new build to poll',
    async () => {
      const [described] = await runStep(env, steps, 2, vars).catch(() => [undefined]);
      // Both the workflow and the activity task queue: a ramp or switch before both are seen is refused.
      const queues = described?.stdout.slice(described.stdout.indexOf('Task Queues')) ?? '';
      return queues.includes(TASK_QUEUE) && /\bworkflow\b/i.test(queues) && /\bactivity\b/i.test(queues)
        ? described
        : undefined;
    },
    60_000,
    500,
  );
  // 3. ramp, 4. current, 5. watch.
  await runStep(env, steps, 3, vars);
  await runStep(env, steps, 4, vars);
  const [routing, stillOnOld] = await runStep(env, steps, 5, vars);
  expect(routing.stdout).toMatch(new RegExp(`Current Version.*${BUILD.B}|${BUILD.B}`));
  expect(stillOnOld.stdout).toMatch(/\d+/);
  return { handle, vars, workerA, workerB };
}

jest.setTimeout(240_000);

let stack: Stack | undefined;
afterEach(async () => {
  await stopStack(stack);
  stack = undefined;
});

test('a new build made current mid-release: earlier swaps finish on A, later ones and the release run on B, A drains', async () => {
  stack = await startStack();
  const { env } = stack;
  const { handle, vars, workerA } = await releaseSwitchedToB(stack, 'upgrade');
  await releases.update.resume(handle, {});
  const result = await handle.result();
  expect(result.stage).toBe('completed');
  expect(result.waves.wave1.promoted + result.waves.wave2.promoted).toBe(EARLY.length + LATE.length);

  for (const account of EARLY)
    expect(new Set(await buildsOf(env, swapId('upgrade', account)))).toEqual(new Set([BUILD.A]));
  for (const account of LATE)
    expect(new Set(await buildsOf(env, swapId('upgrade', account)))).toEqual(new Set([BUILD.B]));
  const releaseBuilds = await buildsOf(env, handle.workflowId);
  expect(releaseBuilds[0]).toBe(BUILD.A);
  expect(releaseBuilds.at(-1)).toBe(BUILD.B);
  // B's patched change ran where B finished the release.
  const described = await handle.describe();
  expect(described.memo?.[FINISHED_BY_MEMO]).toBe('build-b');

  // 7. A drained, 8. its worker stopped.
  await runStep(env, steps, 7, { ...vars, RETIRED_BUILD: BUILD.A }, 120_000);
  expect(steps.get(8)).toEqual([expect.stringContaining('kill -TERM')]);
  await workerA.stop();
  expect(await failedWorkflowTasks(env)).toEqual([]);
});

test('rolled back to A half-way through wave 2: the swap pinned to B finishes there, the rest and the release on A, B drains', async () => {
  stack = await startStack();
  const { env } = stack;
  const { handle, vars, workerB } = await releaseSwitchedToB(stack, 'rollback');
  await releases.update.resume(handle, {});
  await waitFor(
    'the first wave-2 swap in flight',
    async () => ((await releases.status(handle)).waves.wave2.deploying === 1 ? true : undefined),
    90_000,
    100,
  );
  await releases.update.pause(handle, { reason: 'rolling the orchestrator back' });
  // 6. roll back: A is current again.
  await runStep(env, steps, 6, vars);
  await releases.update.resume(handle, {});
  const result = await handle.result();
  expect(result.stage).toBe('completed');
  expect(result.waves.wave1.promoted + result.waves.wave2.promoted).toBe(EARLY.length + LATE.length);

  for (const account of EARLY)
    expect(new Set(await buildsOf(env, swapId('rollback', account)))).toEqual(new Set([BUILD.A]));
  const lateBuilds = await Promise.all(
    LATE.map(async (account) => [...new Set(await buildsOf(env, swapId('rollback', account)))]),
  );
  expect(lateBuilds.sort()).toEqual([[BUILD.A], [BUILD.B]]);
  const releaseBuilds = await buildsOf(env, handle.workflowId);
  expect(releaseBuilds).toContain(BUILD.B);
  expect(releaseBuilds.at(-1)).toBe(BUILD.A);
  expect((await handle.describe()).memo?.[FINISHED_BY_MEMO]).toBeUndefined();

  await runStep(env, steps, 7, { ...vars, RETIRED_BUILD: BUILD.B }, 120_000);
  await workerB.stop();
  expect(await failedWorkflowTasks(env)).toEqual([]);
});
