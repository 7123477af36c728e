import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { addNote, dayTimer, dayTimerStatus, nudge } from '../../fixtures/workflows/day-timer';

const DAY_MS = 86_400_000;

describe('time-skipping test server (Java, fetched by the repo)', () => {
  let env: TestWorkflowEnvironment;
  let worker: TestWorker;

  beforeAll(async () => {
    env = await startTimeSkipping();
    worker = await startTestWorker(env, {
      workflowsPath: path.join(__dirname, '../../fixtures/workflows/day-timer.ts'),
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  it('runs a day-long timer to completion, skipping the simulated day', async () => {
    const handle = await env.client.workflow.start(dayTimer, {
      taskQueue: worker.taskQueue,
      workflowId: 'day-timer-skip',
      args: [{}],
    });
    const result = await handle.result();
    expect(result.phase).toBe('done');
    expect((result.finishedAt as number) - result.startedAt).toBeGreaterThanOrEqual(DAY_MS);
  });

  it('answers a query and a validated update while the timer is pending', async () => {
    const handle = await env.client.workflow.start(dayTimer, {
      taskQueue: worker.taskQueue,
      workflowId: 'day-timer-messages',
      args: [{ waitFor: 'nudge' }],
    });
    expect(await handle.executeUpdate(addNote, { args: ['first'] })).toEqual(['first']);
    await expect(handle.executeUpdate(addNote, { args: ['  '] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/non-empty string/) },
    });
    const status = await handle.query(dayTimerStatus);
    expect(status).toMatchObject({ phase: 'waiting', notes: ['first'], nudges: 0 });
    await handle.signal(nudge);
    const result = await handle.result();
    expect(result).toMatchObject({ phase: 'done', notes: ['first'], nudges: 1 });
  });
});
