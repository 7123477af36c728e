/**
 * A release too big for one run's history continues as new and carries everything over: the
 * accounts' outcomes, the timeline, and an issue reported in one run and resumed in the next.
 * Dev server (the time-skipping server does not scale to this many children), stand-in swaps of
 * 200 ms, stage length "5 seconds".
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startDevServer();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(fakeRegistry(ids('early', 1600), ids('late', 100))),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

test('a release over 1,700 accounts continues as new, keeps every history small and carries state across runs', async () => {
  const workflowId = 'release-big';
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'big',
      version: '2026.47.0',
      schedule: { stageLength: '5 seconds' },
      strategy: { concurrency: { wave1: 200, wave2: 100 }, keepBlueWarm: 200 },
    },
    { taskQueue: worker.taskQueue, workflowId },
  );
  // On-call reports an issue once wave 1 is done, and resumes when the release holds for it.
  await waitFor(
    'wave 1 promoted',
    async () => ((await releases.status(handle)).waves.wave1.promoted === 1600 ? true : undefined),
    180_000,
    250,
  );
  await releases.update.reportIssue(handle, { summary: 'checking dashboards', accounts: ['early-0001'] });
  await waitFor(
    'the release to hold',
    async () => ((await releases.status(handle)).stage === 'held' ? true : undefined),
    60_000,
    250,
  );
  await releases.update.resume(handle, {});
  const result = await handle.result();

  expect(result.stage).toBe('completed');
  expect(result.waves.wave1.promoted + result.waves.wave2.promoted).toBe(1700);
  expect(result.runs).toBeGreaterThanOrEqual(2);
  expect(result.timeline[0].event).toBe('planned'); // from the first run
  expect(result.issues).toEqual([expect.objectContaining({ summary: 'checking dashboards', closedBy: 'resume' })]);

  const runIds: string[] = [];
  for await (const execution of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
    runIds.push(execution.runId);
  expect(runIds).toHaveLength(result.runs);
  for (const runId of runIds) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    expect(history.events!.length).toBeLessThan(10_000);
  }
  // Its own waits allow 180 s for wave 1 and 60 s for the hold; the rest is the release's end.
}, 420_000);
