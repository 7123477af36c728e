/**
 * The dev server keeps its state in a SQLite file (as `npm start` runs it): stopping it in the
 * middle of a release and starting it again on the same file loses no decision. The release's
 * open issue, the accounts already released and the timeline survive, and the release finishes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { freePort } from '../../harness/ports';
import { waitFor } from '../../harness/wait';
import { statusWithAccounts } from '../../support/release-status';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const TASK_QUEUE = 'restart-release';
const activities = mockReleaseActivities(fakeRegistry(['early-1'], ['acct-1', 'acct-2']));

describe('a release across a dev-server restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-restart-'));
  const dbFilename = path.join(dir, 'dev.sqlite');
  let env: TestWorkflowEnvironment | undefined;
  let worker: TestWorker | undefined;

  async function startStack(port: number): Promise<TestWorkflowEnvironment> {
    env = await startDevServer({ dbFilename, port });
    worker = await startTestWorker(env, { workflowsPath: FIXTURE_WORKFLOWS, activities, taskQueue: TASK_QUEUE });
    return env;
  }
  async function stopStack(): Promise<void> {
    await worker?.stop();
    await env?.teardown();
    worker = undefined;
    env = undefined;
  }

  afterAll(async () => {
    await stopStack();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the open issue and the finished wave, and completes after the restart', async () => {
    const port = await freePort();
    let server = await startStack(port);
    const handle = await releases.start(
      server.client,
      // The stand-in swap takes keepBlueWarm ms; stages of 3 s keep the test short.
      {
        releaseId: 'restart-1',
        version: '2026.47.0',
        schedule: { stageLength: '3 seconds' },
        strategy: { keepBlueWarm: 300 },
      },
      { taskQueue: TASK_QUEUE, workflowId: 'release-restart-1' },
    );
    await waitFor(
      'wave 1 to bake',
      async () => ((await releases.status(handle)).stage === 'bake' ? true : undefined),
      30_000,
      100,
    );
    await releases.update.reportIssue(handle, { summary: 'latency up on early-1' });

    await stopStack();
    expect(fs.existsSync(dbFilename)).toBe(true);
    server = await startStack(port);
    const again = releases.getHandle(server.client, 'restart-1');

    const afterRestart = await statusWithAccounts(again);
    expect(afterRestart.openIssues).toHaveLength(1);
    expect(afterRestart.accounts['early-1']).toMatchObject({ wave: 1, outcome: 'promoted', version: '2026.47.0' });
    expect(afterRestart.accounts['acct-1']).toMatchObject({ wave: 2, state: 'pending' });

    // Wave 2 stays held by the issue until on-call resumes.
    await waitFor(
      'the release to hold',
      async () => ((await releases.status(again)).stage === 'held' ? true : undefined),
      30_000,
      100,
    );
    await releases.update.resume(again, { reason: 'dashboards are fine' });
    const result = await again.result();
    expect(result.stage).toBe('completed');
    for (const id of ['early-1', 'acct-1', 'acct-2'])
      expect(result.accounts[id]).toMatchObject({ outcome: 'promoted', version: '2026.47.0' });
    expect(result.issues).toEqual([expect.objectContaining({ id: 1, summary: 'latency up on early-1' })]);
    expect(result.openIssues).toEqual([]);
    const events = result.timeline.map((entry) => entry.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'issue #1 opened (on-call)',
        'stage held',
        'resumed (update)',
        'stage wave-2',
        'stage completed',
      ]),
    );
  });
});
