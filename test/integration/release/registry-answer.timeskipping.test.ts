/**
 * A registry answer the release cannot read fails the release with a message that says what is
 * wrong, as a refusal does: never a workflow task failure retried for ever.
 */
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startTimeSkipping();
  const activities = mockReleaseActivities(fakeRegistry(['early-1'], ['late-1']));
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: {
      ...activities,
      // Early access for an account position the answer does not have.
      listReleaseAccounts: async () => ({ ids: ['early-1'], earlyAccess: [3], internal: [], windows: [] }),
    },
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

test('a malformed registry answer fails the release, saying what is wrong', async () => {
  const handle = await releases.start(
    env.client,
    { releaseId: 'registry-malformed', version: '2026.47.0' },
    { taskQueue: worker.taskQueue },
  );
  const error = await handle.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toMatchObject({
    type: 'RegistryMalformed',
    message: "the account registry's answer names position 3 of 1 accounts",
  });
  const events = (await handle.fetchHistory()).events ?? [];
  const taskFailures = events.filter(
    (event) => event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  );
  expect(taskFailures).toHaveLength(0);
});
