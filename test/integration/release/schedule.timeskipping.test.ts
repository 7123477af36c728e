/**
 * The real default schedule (stageLength "1 day") in seconds, on the time-skipping server, with a
 * scripted stand-in for the per-account swap so only the release's own logic is under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases, type ReleaseHandle } from '../../../src/client';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { releaseWorkflowId, type PatchMessage, type StagedReleaseInput } from '../../../src/domain/release/input';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { waitFor } from '../../harness/wait';
import { stagedRelease } from '../../../src/workflows/release';
import type { CarriedRelease } from '../../../src/domain/release/carried';
import { statusWithAccounts } from '../../support/release-status';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const SAVED_HISTORY = path.join(
  __dirname,
  '..',
  '..',
  'fixtures',
  'release',
  'histories',
  'issue-while-worker-down-then-resume.history.bin',
);
/** A status continue-as-new carried before events existed (see test/unit/release/carried.test.ts). */
const CARRIED_BEFORE_EVENTS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'carried-before-events.json');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startTimeSkipping(); // search attributes registered: the release upserts them
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(
      fakeRegistry(
        ['early-1', 'early-2', 'fragile-1'],
        ['acct-1', 'acct-2', 'acct-3', 'acct-4', 'fragile-2', 'fragile-3'],
      ),
    ),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

let counter = 0;
async function startRelease(input: Partial<StagedReleaseInput> & { version: string }): Promise<ReleaseHandle> {
  const releaseId = `ts-${++counter}`;
  return releases.start(
    env.client,
    { releaseId, accounts: ['early-1', 'early-2', 'acct-1', 'acct-2', 'acct-3'], ...input },
    { taskQueue: worker.taskQueue },
  );
}

const status = (handle: ReleaseHandle) => statusWithAccounts(handle);
const versions = (s: Pick<ReleaseStatusView, 'accounts'>) =>
  Object.fromEntries(Object.entries(s.accounts).map(([id, a]) => [id, a.version]));
const events = (s: Pick<ReleaseStatusView, 'timeline'>) => s.timeline.map((entry) => entry.event);
function stageOnceAccountsAreKnown(handle: ReleaseHandle): Promise<string> {
  return waitFor(
    'the release to plan its waves',
    async () => {
      const { stage } = await status(handle);
      return stage !== 'planning' ? stage : undefined;
    },
    30_000,
    50,
  );
}
/** Lets the server's clock run for `ms` of workflow time. */
const advance = (ms: number) => env.sleep(ms);

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}
/** The innermost failure message (client errors wrap the workflow's ApplicationFailure). */
const messageOf = (error: Error): string => (error.cause instanceof Error ? messageOf(error.cause) : error.message);
const stageAt = (s: ReleaseStatusView, stage: string) =>
  Date.parse(s.timeline.find((e) => e.event === `stage ${stage}`)!.at);

test('happy path: wave 1 on Day 1, wave 2 on Day 3, every account promoted', async () => {
  const handle = await startRelease({ version: '2026.47.0' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(Object.values(result.accounts).every((a) => a.outcome === 'promoted' && a.version === '2026.47.0')).toBe(true);
  expect(result.accounts['early-1'].wave).toBe(1);
  expect(result.accounts['acct-1'].wave).toBe(2);
  const day1 = Date.parse(result.schedule.startAt);
  expect(stageAt(result, 'wave-1') - day1).toBeLessThan(HOUR);
  expect(stageAt(result, 'wave-2') - day1).toBeGreaterThanOrEqual(2 * DAY);
  expect(events(result)).toEqual(
    expect.arrayContaining(['stage wave-1', 'stage bake', 'stage wave-2', 'stage completed']),
  );
  expect(result.openIssues).toEqual([]);
  expect(result.waves.wave2.promoted).toBe(3);
});

test('a wave-1 rollback opens an issue and holds; the patch is re-released to wave 1 on Day 2 and wave 2 gets it', async () => {
  const handle = await startRelease({
    version: '2026.47.0',
    accounts: ['fragile-1', 'early-1', 'early-2', 'acct-1', 'acct-2'],
    strategy: { concurrency: { wave1: 1 } },
  });
  await advance(2 * HOUR);
  const held = await status(handle);
  expect(held.stage).toBe('held');
  expect(held.holdReason).toMatch(/wave 1 failure budget \(0\) exceeded/);
  expect(held.accounts['fragile-1']).toMatchObject({ state: 'done', outcome: 'rolled-back', version: '2026.46.0' });
  expect(held.accounts['early-1'].state).toBe('pending');
  expect(held.openIssues).toEqual([expect.objectContaining({ source: 'automated', accounts: ['fragile-1'] })]);

  // The validator refuses a "patch" that is the version already deployed, without touching history.
  expect(messageOf(await failureOf(releases.update.patch(handle, { version: '2026.47.0', reason: 'same' })))).toMatch(
    /already the version/,
  );
  const patched = await releases.update.patch(handle, {
    version: '2026.47.0-patch1',
    reason: 'fixes the canary mismatch',
  });
  expect(patched.pendingPatch?.version).toBe('2026.47.0-patch1');
  expect(patched).not.toHaveProperty('accounts');

  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.targetVersion).toBe('2026.47.0-patch1');
  expect(result.originalVersion).toBe('2026.47.0');
  expect(new Set(Object.values(versions(result)))).toEqual(new Set(['2026.47.0-patch1']));
  const day1 = Date.parse(result.schedule.startAt);
  expect(stageAt(result, 'patch-wave-1')).toBeGreaterThanOrEqual(day1 + DAY);
  expect(stageAt(result, 'wave-2')).toBeGreaterThanOrEqual(Date.parse(result.lastWaveOneFinishedAt!) + DAY);
  expect(result.openIssues).toEqual([]);
});

test('an issue reported on Day 1 with no patch holds wave 2 until on-call resumes', async () => {
  const handle = await startRelease({ version: '2026.47.0' });
  await advance(3 * HOUR);
  await releases.signal.reportIssue(handle, { summary: 'latency up on early-1', accounts: ['early-1'] });
  // malformed: recorded, never fails the release
  await releases.signal.patch(handle, { reason: 'no version given' } as PatchMessage);
  await advance(3 * DAY);
  const held = await status(handle);
  expect(held.stage).toBe('held');
  expect(held.holdReason).toMatch(/open issue.*latency up/);
  expect(held.waves.wave2.pending).toBe(3);
  expect(events(held)).toContain('signal patch rejected');

  const resumed = await releases.update.resume(handle, {});
  expect(resumed.openIssues).toEqual([]);
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.waves.wave2.promoted).toBe(3);
  expect(stageAt(result, 'wave-2')).toBeGreaterThanOrEqual(Date.parse(resumed.timeline.at(-1)!.at));
});

test('pause during wave 1 holds the in-flight swap and starts nothing new; resume goes on', async () => {
  const handle = await startRelease({ version: '2026.47.0', strategy: { concurrency: { wave1: 1 } } });
  await advance(5 * 60_000);
  const paused = await releases.update.pause(handle, { reason: 'investigating alerts' });
  expect(paused.paused).toBe(true);
  expect(messageOf(await failureOf(releases.update.pause(handle, { reason: 'again' })))).toMatch(/already paused/);
  await advance(6 * HOUR);
  const during = await status(handle);
  expect(during.accounts['early-1'].state).toBe('deploying'); // held by the parent before promotion
  expect(during.accounts['early-2'].state).toBe('pending');
  await releases.update.resume(handle, {});
  expect(messageOf(await failureOf(releases.update.resume(handle, {})))).toMatch(/not paused and has no open issue/);
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.accounts['early-1'].outcome).toBe('promoted');
  expect(events(result)).toEqual(expect.arrayContaining(['paused (update)', 'resumed (update)']));
});

test('abort without rollback cancels the in-flight swaps and releases nothing more', async () => {
  const handle = await startRelease({ version: '2026.47.0' });
  await advance(5 * 60_000);
  await releases.update.abort(handle, { reason: 'bad release notes' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('aborted');
  expect(result.accounts['early-1']).toMatchObject({ outcome: 'cancelled' });
  expect(result.accounts['acct-1']).toMatchObject({ outcome: 'not-released' });
});

test('abort with rollback puts finished accounts back on their previous version', async () => {
  const handle = await startRelease({ version: '2026.47.0' });
  await advance(2 * DAY + 5 * 60_000);
  expect((await status(handle)).stage).toBe('wave-2');
  await releases.signal.abort(handle, { reason: 'customer escalations', rollback: true });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('aborted');
  expect(result.accounts['early-1']).toMatchObject({ outcome: 'reverted', version: '2026.46.0' });
  expect(result.accounts['early-2']).toMatchObject({ outcome: 'reverted', version: '2026.46.0' });
  expect(result.accounts['acct-1'].outcome).toBe('cancelled');
  expect(events(result)).toEqual(
    expect.arrayContaining(['abort with rollback (signal)', 'stage rolling-back', 'stage aborted']),
  );
});

test('the failure budget halts wave 2 and opens an issue; a patch re-bakes wave 1 and finishes wave 2 on it', async () => {
  const handle = await startRelease({
    version: '2026.47.0',
    accounts: ['early-1', 'acct-1', 'fragile-2', 'fragile-3', 'acct-2', 'acct-3'],
    strategy: { concurrency: { wave2: 1 }, failureBudget: { wave2: 1 } },
  });
  await advance(2 * DAY + 2 * HOUR);
  const halted = await status(handle);
  expect(halted.stage).toBe('held');
  expect(halted.holdReason).toMatch(/wave 2 failure budget \(1\) exceeded: 2 account/);
  expect(halted.accounts['acct-2'].state).toBe('pending');
  expect(halted.openIssues[0]).toMatchObject({ source: 'automated', accounts: ['fragile-2', 'fragile-3'] });

  await releases.update.patch(handle, { version: '2026.47.1-patch', reason: 'fix for fragile accounts' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(new Set(Object.values(versions(result)))).toEqual(new Set(['2026.47.1-patch']));
  const rebaked = result.timeline.filter((e) => e.event === 'stage wave-2').at(-1)!;
  expect(Date.parse(rebaked.at)).toBeGreaterThanOrEqual(Date.parse(result.lastWaveOneFinishedAt!) + DAY);
});

test('startAt in the future: the release waits for Day 1 before wave 1', async () => {
  const startAt = new Date((await env.currentTimeMs()) + 3 * DAY).toISOString();
  const handle = await startRelease({ version: '2026.47.0', schedule: { startAt } });
  expect(await stageOnceAccountsAreKnown(handle)).toBe('scheduled');
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(stageAt(result, 'wave-1')).toBeGreaterThanOrEqual(Date.parse(startAt));
  expect(stageAt(result, 'wave-2')).toBeGreaterThanOrEqual(Date.parse(startAt) + 2 * DAY);
});

test('a run continued as new by the earlier code (accounts as one record, ISO times) goes on where it was', async () => {
  const { carried } = JSON.parse(fs.readFileSync(CARRIED_BEFORE_EVENTS, 'utf8')) as { carried: unknown };
  // Started by the workflow function itself: the typed client never passes a carried state.
  const handle = await env.client.workflow.start(stagedRelease, {
    taskQueue: worker.taskQueue,
    workflowId: releaseWorkflowId('2026-47'),
    args: [{ releaseId: '2026-47', version: '2026.47.0', notes: ['Faster fraud scores'] }, carried as CarriedRelease],
  });
  // Its Day marks are long past: it was paused in the bake of Day 1, with a patch pending and an issue open.
  const carriedOver = await status(handle);
  expect(carriedOver).toMatchObject({
    stage: 'bake',
    paused: true,
    runs: 2,
    pendingPatch: { version: '2026.47.1' },
    openIssues: [expect.objectContaining({ id: 2, summary: 'latency up' })],
  });
  expect(carriedOver.accounts.globex).toMatchObject({ outcome: 'rolled-back', version: '2026.46.0' });

  await releases.update.resume(handle, {});
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result).toMatchObject({ stage: 'completed', targetVersion: '2026.47.1', runs: 2, openIssues: [] });
  for (const accountId of ['acme', 'globex', 'hooli'])
    expect(result.accounts[accountId]).toMatchObject({ outcome: 'promoted', version: '2026.47.1' });
  expect(result.timeline[0].event).toBe('planned'); // from the earlier run
  expect(events(result)).toEqual(
    expect.arrayContaining(['resumed (update)', 'patch 2026.47.1 is the target', 'stage patch-wave-1', 'stage wave-2']),
  );
  expect(stageAt(result, 'wave-2')).toBeGreaterThanOrEqual(Date.parse(result.lastWaveOneFinishedAt!) + DAY);
});

test('bad input and unknown accounts are rejected with InvalidInput', async () => {
  const bad = await failureOf(startRelease({ version: '', schedule: { stageLength: 'soon' } }).then((h) => h.result()));
  expect(messageOf(bad)).toMatch(/Invalid stagedRelease input: .*version/);
  expect(messageOf(bad)).toMatch(/schedule.stageLength: "soon" is not a duration/);
  const unknown = await failureOf(
    startRelease({ version: '1.0', accounts: ['early-1', 'nobody'] }).then((h) => h.result()),
  );
  expect(messageOf(unknown)).toMatch(/the fleet does not know nobody/);
});

test('a worker stopped mid-release and a fresh one replaying its history lose no decision', async () => {
  // No workflow cache: every task replays the whole history, and no task waits on a dead worker's sticky queue.
  const workerOptions = {
    workflowsPath: FIXTURE_WORKFLOWS,
    maxCachedWorkflows: 0,
    activities: mockReleaseActivities(fakeRegistry(['early-1', 'early-2'], ['acct-1'])),
  };
  const own = await startTestWorker(env, workerOptions);
  const releaseId = 'ts-restart';
  const handle = await releases.start(env.client, { releaseId, version: '2026.47.0' }, { taskQueue: own.taskQueue });
  let replacement: TestWorker | undefined;
  try {
    await advance(DAY + HOUR);
    expect((await status(handle)).stage).toBe('bake');
    await own.stop();
    // Decisions arrive while no worker runs; the server keeps them.
    await releases.signal.reportIssue(handle, { summary: 'seen while the worker was down' });
    replacement = await startTestWorker(env, { ...workerOptions, taskQueue: own.taskQueue });
    await advance(2 * DAY);
    const held = await status(handle);
    expect(held.stage).toBe('held');
    expect(held.waves.wave1.promoted).toBe(2);
    await releases.update.resume(handle, {});
    const result = (await handle.result()) as ReleaseStatusView;
    expect(result.stage).toBe('completed');

    const history = await handle.fetchHistory();
    if (process.env.SAVE_RELEASE_HISTORY)
      fs.writeFileSync(SAVED_HISTORY, temporal.api.history.v1.History.encode(history).finish());
    await Worker.runReplayHistory({ workflowsPath: FIXTURE_WORKFLOWS }, history, releaseWorkflowId(releaseId));
  } finally {
    await own.stop();
    await replacement?.stop();
  }
});
