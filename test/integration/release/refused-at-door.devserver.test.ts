/**
 * Bad input is refused at the door: a release of a version the platform does not know, a duration
 * out of range, a second start argument that is not a carried status, and a patch to an unknown
 * version. Each ends cleanly (an InvalidInput failure, a rejected update, a rejected signal in
 * the timeline), never in a workflow task failure and never by holding the release. Dev server,
 * the real workflows and activities, the in-memory fake fleet.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases, type ReleaseHandle } from '../../../src/client';
import type { CarriedRelease } from '../../../src/domain/release/carried';
import type { StagedReleaseInput } from '../../../src/domain/release/input';
import { createLogger } from '../../../src/logging/logger';
import { stagedRelease } from '../../../src/workflows/release';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { FakeFleet } from '../../support/fake-fleet';
import { waitForCloseOrTaskFailure, workflowTaskFailures } from '../../support/history';

let env: TestWorkflowEnvironment;
let worker: TestWorker;
const fleet = new FakeFleet()
  .addVersion('1.0')
  .addVersion('2.0')
  .addVersion('2.1')
  .addAccount({ accountId: 'early-1', earlyAccess: true, useCases: ['fraud-score'], instanceCount: 1 }, '1.0')
  .addAccount({ accountId: 'late-1', useCases: ['fraud-score'], instanceCount: 1 }, '1.0');

beforeAll(async () => {
  env = await startDevServer();
  worker = await startTestWorker(env, { activities: createActivities({ fleet, logger: createLogger('silent') }) });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

const start = (input: StagedReleaseInput) => releases.start(env.client, input, { taskQueue: worker.taskQueue });

/** The run ended with an InvalidInput failure and no workflow task ever failed on the way. */
async function expectInvalidInput(handle: ReleaseHandle, message: RegExp): Promise<void> {
  const events = await waitForCloseOrTaskFailure(handle, 30_000);
  expect(workflowTaskFailures(events)).toEqual([]);
  const error = await handle.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toMatchObject({
    type: 'InvalidInput',
    message: expect.stringMatching(message),
  });
}

test('a release of a version the platform does not know is refused at planning, naming the version, before any swap', async () => {
  const handle = await start({
    releaseId: 'unknown-version',
    version: '9999.0.0',
    schedule: { stageLength: '2 seconds' },
  });
  await expectInvalidInput(handle, /version: 9999\.0\.0 is not in the platform's version catalogue/);
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
  expect(fleet.calls.filter((call) => call.includes('9999.0.0'))).toEqual([]);
});

test('a stage length of "100000000 days" fails the release with InvalidInput naming the field and its range', async () => {
  const handle = await start({
    releaseId: 'endless-stage',
    version: '2.0',
    schedule: { stageLength: '100000000 days' },
  });
  await expectInvalidInput(handle, /schedule\.stageLength: must be between 1s and 30 days/);
});

test('a second start argument that is not a carried status fails the release with InvalidInput', async () => {
  const input: StagedReleaseInput = { releaseId: 'bad-carried', version: '2.0' };
  const handle = await env.client.workflow.start(stagedRelease, {
    taskQueue: worker.taskQueue,
    workflowId: 'release-bad-carried',
    args: [input, { status: {} } as unknown as CarriedRelease],
  });
  await expectInvalidInput(handle, /continue-as-new argument: status\.releaseId/);
});

test('a patch to a version the platform does not know is refused (update and signal); the release goes on unheld', async () => {
  const startAt = new Date(Date.now() + 3_600_000).toISOString();
  const handle = await start({ releaseId: 'unknown-patch', version: '2.0', schedule: { startAt } });
  await waitFor('the release to be scheduled', async () =>
    (await releases.status(handle)).stage === 'scheduled' ? true : undefined,
  );

  const refused = await releases.update
    .patch(handle, { version: '9999.0.0', reason: 'the fix' })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(
    /patch: version 9999\.0\.0 is not in the platform's version catalogue/,
  );

  await releases.signal.patch(handle, { version: '9999.0.1', reason: 'the fix, by signal' });
  const afterSignal = await waitFor('the rejected patch signal in the timeline', async () => {
    const status = await releases.status(handle);
    return status.timeline.some((e) => e.event === 'signal patch rejected') ? status : undefined;
  });
  expect(afterSignal.timeline.find((e) => e.event === 'signal patch rejected')?.detail).toMatch(
    /9999\.0\.1 is not in the platform's version catalogue/,
  );
  expect(afterSignal).toMatchObject({ stage: 'scheduled', paused: false, openIssues: [] });
  expect(afterSignal.pendingPatch).toBeUndefined();

  const accepted = await releases.update.patch(handle, { version: '2.1', reason: 'the real fix' });
  expect(accepted.pendingPatch).toMatchObject({ version: '2.1' });

  await releases.update.abort(handle, { reason: 'test done' });
  expect((await handle.result()).stage).toBe('aborted');
  expect(workflowTaskFailures((await handle.fetchHistory()).events ?? [])).toEqual([]);
});
