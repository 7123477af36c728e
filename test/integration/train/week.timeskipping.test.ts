/**
 * A whole train week in seconds on the time-skipping server: a firing chooses the version, starts
 * its release with Day 1 at the firing, the internal account validates it first (wave 0), and the
 * release runs Day 1 to Day 3 with the real one-day stages (the swaps are the scripted stand-ins of
 * test/fixtures/release/workflows.ts; the regression run is scripted by version: "-slow" fails it).
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases, train } from '../../../src/client';
import type { TrainChoice } from '../../../src/domain/train/choice';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let worker: TestWorker;
/** What the next firing's choosing activity answers. */
let nextChoice: TrainChoice;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: {
      ...mockReleaseActivities(fakeRegistry(['early-1', 'early-2'], ['acct-1', 'acct-2', 'acct-3'], ['internal-1']), {
        released: { '2026.40.0': 'release-2026.40.0' },
      }),
      async chooseTrainRelease(): Promise<TrainChoice> {
        return nextChoice;
      },
    },
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

test('a firing releases the chosen version: Day 1 at the firing, Day 3 two stages later, and returns its outcome', async () => {
  nextChoice = { release: true, version: '2026.47.1', releaseId: '2026.47.1' };
  const firing = await train.start(env.client, {}, { taskQueue: worker.taskQueue, workflowId: 'release-train-week' });
  const result = await firing.result();
  expect(result).toEqual({ outcome: 'released', releaseId: '2026.47.1', version: '2026.47.1', stage: 'completed' });

  const release = (await releases.getHandle(env.client, '2026.47.1').result()) as ReleaseStatusView;
  const firedAt = (await firing.describe()).startTime.getTime();
  // Day 1 is the train's own start as the workflow sees it (its first task), within moments of the firing.
  expect(Math.abs(Date.parse(release.schedule.startAt) - firedAt)).toBeLessThan(60_000);
  expect(release.schedule.stageLengthMs).toBe(DAY);
  const at = (event: string) => Date.parse(release.timeline.find((entry) => entry.event === event)!.at);
  expect(at('stage wave-1') - firedAt).toBeLessThan(HOUR);
  expect(at('stage wave-2') - firedAt).toBeGreaterThanOrEqual(2 * DAY);
  expect(at('stage wave-2') - firedAt).toBeLessThan(2 * DAY + HOUR);
  expect(Object.values(release.accounts).every((account) => account.version === '2026.47.1')).toBe(true);
  // Wave 0: the internal account validated the version (regression run and swap) before Day 1's wave.
  expect(release.accounts['internal-1'].wave).toBe(0);
  expect(release.validation?.state).toBe('passed');
  expect(release.validation?.regressions.map((run) => [run.accountId, run.verdict])).toEqual([
    ['internal-1', 'passed'],
  ]);
  expect(at('stage wave-0')).toBeLessThanOrEqual(at('stage wave-1'));
  expect(release.notes).toEqual([expect.stringMatching(/^Weekly release train, fired /)]);
}, 120_000);

test('a train week whose wave 0 fails: the release holds before Day 1 and no customer account is touched', async () => {
  nextChoice = { release: true, version: '2026.48.0-slow', releaseId: '2026.48.0-slow' };
  const firing = await train.start(env.client, {}, { taskQueue: worker.taskQueue, workflowId: 'release-train-slow' });
  const release = releases.getHandle(env.client, '2026.48.0-slow');
  // The whole week passes: Day 1, 2 and 3 marks, and more.
  await waitFor('the release to hold on wave 0', async () =>
    (await releases.status(release).catch(() => undefined))?.stage === 'held' ? true : undefined,
  );
  await env.sleep(7 * DAY);
  const held = await releases.status(release);
  expect(held.stage).toBe('held');
  expect(held.validation?.state).toBe('failed');
  expect(held.openIssues.map((issue) => issue.source)).toEqual(['automated']);
  expect(held.openIssues[0].summary).toMatch(/internal-1/);
  const customers = await releases.accountRecords(release, {});
  for (const id of ['early-1', 'early-2', 'acct-1', 'acct-2', 'acct-3'])
    expect(customers[id]).toMatchObject({ state: 'pending', version: null });
  expect(
    (await release.fetchHistory())
      .events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)
      .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!.split('/')[1]),
  ).toEqual([]);

  await releases.update.abort(release, { reason: 'latency regression on the internal account' });
  await expect(firing.result()).resolves.toEqual({
    outcome: 'released',
    releaseId: '2026.48.0-slow',
    version: '2026.48.0-slow',
    stage: 'aborted',
  });
}, 120_000);

test('a firing with nothing to release completes at once and says why', async () => {
  nextChoice = {
    release: false,
    reason: 'nothing to release: no stable version published after 2026.47.1, the newest that production runs',
  };
  const firing = await train.start(env.client, {}, { taskQueue: worker.taskQueue, workflowId: 'release-train-idle' });
  await expect(firing.result()).resolves.toEqual({ outcome: 'nothing-to-release', reason: nextChoice.reason });
});

test('a version another release took is refused by the release itself, and the train says so', async () => {
  nextChoice = { release: true, version: '2026.40.0', releaseId: '2026.40.0-again' };
  const firing = await train.start(env.client, {}, { taskQueue: worker.taskQueue, workflowId: 'release-train-again' });
  await expect(firing.result()).resolves.toEqual({
    outcome: 'nothing-to-release',
    reason: 'nothing to release: 2026.40.0 already released by release-2026.40.0 (completed)',
  });
});

test('a release that names its accounts is not refused for a version released before', async () => {
  const targeted = await releases.start(
    env.client,
    { releaseId: 'repair-2026.40.0', version: '2026.40.0', accounts: ['acct-3'], schedule: { stageLength: '1 hour' } },
    { taskQueue: worker.taskQueue },
  );
  const result = (await targeted.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.accounts['acct-3']).toMatchObject({ outcome: 'promoted', version: '2026.40.0' });
});

test('a train of a version whose release runs is told so, and leaves that release alone', async () => {
  const running = await releases.start(
    env.client,
    { releaseId: '2026.48.0', version: '2026.48.0' },
    { taskQueue: worker.taskQueue },
  );
  nextChoice = { release: true, version: '2026.48.0', releaseId: '2026.48.0' };
  const firing = await train.start(env.client, {}, { taskQueue: worker.taskQueue, workflowId: 'release-train-busy' });
  await expect(firing.result()).resolves.toEqual({
    outcome: 'nothing-to-release',
    reason: 'nothing to release: 2026.48.0 already released by release-2026.48.0 (running)',
  });
  expect((await running.describe()).status.name).toBe('RUNNING');
  await running.terminate('test done');
});
