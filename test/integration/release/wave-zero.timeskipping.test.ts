/**
 * Pre-release validation (wave 0) on the time-skipping server, with the real `stagedRelease`, the
 * scripted swap stand-in (test/fixtures/release/workflows.ts) and scripted regression runs (a
 * version with "-slow" regresses; see test/fixtures/release/accounts.ts).
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases, type ReleaseHandle } from '../../../src/client';
import type { StagedReleaseInput } from '../../../src/domain/release/input';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { statusWithAccounts } from '../../support/release-status';
import { waitFor } from '../../harness/wait';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(
      fakeRegistry(['early-1', 'early-2', 'fragile-1'], ['acct-1', 'acct-2'], ['qa-1', 'qa-2']),
    ),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

let counter = 0;
function startRelease(input: Partial<StagedReleaseInput> & { version: string }): Promise<ReleaseHandle> {
  return releases.start(
    env.client,
    { releaseId: `w0-${++counter}`, accounts: ['qa-1', 'qa-2', 'early-1', 'early-2', 'acct-1', 'acct-2'], ...input },
    { taskQueue: worker.taskQueue },
  );
}
const events = (s: Pick<ReleaseStatusView, 'timeline'>) => s.timeline.map((entry) => entry.event);
const stageAt = (s: ReleaseStatusView, stage: string) =>
  Date.parse(s.timeline.find((e) => e.event === `stage ${stage}`)!.at);

test('wave 0 passes on the internal accounts before Day 1, then Day 1 to Day 3 go on', async () => {
  const handle = await startRelease({ version: '2026.47.0' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.accounts['qa-1']).toMatchObject({ wave: 0, outcome: 'promoted', version: '2026.47.0' });
  expect(result.accounts['qa-2']).toMatchObject({ wave: 0, outcome: 'promoted' });
  expect(Object.values(result.accounts).every((a) => a.outcome === 'promoted')).toBe(true);
  expect(result.validation).toMatchObject({ state: 'passed', version: '2026.47.0' });
  expect(result.validation?.regressions.map((r) => [r.accountId, r.verdict])).toEqual([
    ['qa-1', 'passed'],
    ['qa-2', 'passed'],
  ]);
  expect(result.validation?.regressions[0].baseline).toMatchObject({ version: '2026.46.0', p50Ms: 20 });
  expect(result.waves.wave0).toMatchObject({ total: 2, promoted: 2 });
  expect(stageAt(result, 'wave-0')).toBeLessThan(stageAt(result, 'wave-1'));
  expect(events(result)).toEqual(
    expect.arrayContaining(['wave 0 validates 2026.47.0', 'wave 0 passed on 2026.47.0', 'stage wave-2']),
  );
});

test('a failed regression run on wave 0 opens an issue and holds the release: no customer account is touched', async () => {
  const handle = await startRelease({ version: '2026.47.0-slow' });
  const held = await waitFor(
    'the release to hold after wave 0',
    async () => {
      const s = await statusWithAccounts(handle);
      return s.stage === 'held' ? s : undefined;
    },
    60_000,
    100,
  );
  expect(held.holdReason).toMatch(/pre-release validation of 2026.47.0-slow failed on qa-1: regression run/);
  expect(held.openIssues).toEqual([expect.objectContaining({ source: 'automated', accounts: ['qa-1'] })]);
  expect(held.validation).toMatchObject({ state: 'failed' });
  expect(held.validation?.regressions[0]).toMatchObject({ accountId: 'qa-1', verdict: 'failed' });
  // Three days pass: nothing of wave 1 or 2 starts while wave 0 holds the release.
  await env.sleep(3 * DAY);
  const still = await statusWithAccounts(handle);
  expect(still.stage).toBe('held');
  for (const id of ['early-1', 'early-2', 'acct-1', 'acct-2']) expect(still.accounts[id].state).toBe('pending');
  expect(still.accounts['qa-1'].state).toBe('pending'); // not swapped either: its regression failed first
  expect(still.accounts['qa-2'].state).toBe('pending');

  // On-call patches: the patch is validated on wave 0 again, then the release goes on.
  await releases.update.patch(handle, { version: '2026.47.1', reason: 'fixes the latency regression' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.validation).toMatchObject({ state: 'passed', version: '2026.47.1' });
  expect(Object.values(result.accounts).every((a) => a.version === '2026.47.1')).toBe(true);
});

test('a release started by hand may skip wave 0 with a reason; the status and timeline say so', async () => {
  const handle = await startRelease({ version: '2026.47.0', skipValidation: { reason: 'hotfix for INC-42' } });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.validation).toEqual({ state: 'skipped', skipReason: 'hotfix for INC-42', regressions: [] });
  expect(result.timeline).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ event: 'wave 0 skipped', detail: expect.stringContaining('hotfix for INC-42') }),
    ]),
  );
  expect(result.accounts['qa-1'].wave).toBe(2); // an internal account then goes by its early-access opt-in
  expect(events(result)).not.toContain('stage wave-0');
});

test('a release without internal accounts has an empty wave 0 and says so', async () => {
  const handle = await startRelease({ version: '2026.47.0', accounts: ['early-1', 'acct-1'] });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.validation).toMatchObject({ state: 'empty' });
  expect(events(result)).toContain('wave 0 empty');
});

test('a patch given after a wave-1 rollback is validated on wave 0 before wave 1 gets it on Day 2', async () => {
  const handle = await startRelease({ version: '2026.47.0', accounts: ['qa-1', 'fragile-1', 'acct-1'] });
  await env.sleep(2 * HOUR); // wave 0 and wave 1 swap (10 minutes each, stand-in)
  const rolledBack = await statusWithAccounts(handle);
  expect(rolledBack.openIssues).toEqual([expect.objectContaining({ accounts: ['fragile-1'] })]);
  expect(rolledBack.validation).toMatchObject({ state: 'passed', version: '2026.47.0' });
  expect(rolledBack.accounts['fragile-1'].outcome).toBe('rolled-back');
  await releases.update.patch(handle, { version: '2026.47.0-patch1', reason: 'fixes fragile-1' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.validation).toMatchObject({ state: 'passed', version: '2026.47.0-patch1' });
  expect(result.validation?.regressions.map((r) => r.version)).toEqual(['2026.47.0', '2026.47.0-patch1']);
  const validatedPatch = Date.parse(result.timeline.find((e) => e.event === 'wave 0 passed on 2026.47.0-patch1')!.at);
  expect(validatedPatch).toBeLessThanOrEqual(stageAt(result, 'patch-wave-1'));
  expect(result.accounts['qa-1'].version).toBe('2026.47.0-patch1');
  expect(result.accounts['fragile-1']).toMatchObject({ outcome: 'promoted', version: '2026.47.0-patch1' });
});

test('after a failed wave 0, an explicit resume lets Day 1 go on with the version', async () => {
  const handle = await startRelease({ version: '2026.47.0-slow', accounts: ['qa-1', 'early-1', 'acct-1'] });
  await waitFor(
    'the release to hold after wave 0',
    async () => ((await statusWithAccounts(handle)).stage === 'held' ? true : undefined),
    60_000,
    100,
  );
  await releases.update.resume(handle, { reason: 'latency regression accepted for this release' });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(result.validation).toMatchObject({ state: 'failed', version: '2026.47.0-slow' });
  expect(result.accounts['early-1']).toMatchObject({ outcome: 'promoted', version: '2026.47.0-slow' });
  expect(result.accounts['qa-1']).toMatchObject({ wave: 0, outcome: 'not-released', version: null });
  expect(result.accounts['qa-1'].reason).toMatch(/on-call resumed/);
  expect(events(result)).toEqual(expect.arrayContaining(['wave 0 failed on 2026.47.0-slow', 'resumed (update)']));
});
