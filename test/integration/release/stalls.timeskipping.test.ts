/**
 * A swap that cannot make progress (the fleet does not answer) tells its release, on the
 * time-skipping server with a scripted stand-in swap (test/fixtures/release/workflows.ts): the
 * release shows the stall per account and in its summary; past the threshold it opens an issue
 * and starts no new swaps, rolls nothing back; once the swap recovers the issue closes by itself
 * and new swaps start again.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { STALL_SCRIPT, STUB_SWAP_MS } from '../../fixtures/release/workflows';
import { statusWithAccounts } from '../../support/release-status';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const MINUTE = 60_000;

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(fakeRegistry(['stalling-1', 'early-2', 'early-3'], ['acct-1'])),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

const events = (s: ReleaseStatusView) => s.timeline.map((entry) => `${entry.event}: ${entry.detail ?? ''}`);

test('a stalled swap shows in the release; past the threshold an issue opens and no new swap starts, until it recovers', async () => {
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'stall-1',
      version: '2026.47.0',
      accounts: ['stalling-1', 'early-2', 'early-3', 'acct-1'],
      strategy: { concurrency: { wave1: 2 } },
    },
    { taskQueue: worker.taskQueue },
  );

  // Stalled, not yet past the threshold (2 minutes by default): shown, nothing held.
  await env.sleep(STALL_SCRIPT.stalledAt + MINUTE);
  const early = await statusWithAccounts(handle);
  expect(early.stalls).toEqual([
    expect.objectContaining({
      accountId: 'stalling-1',
      step: 'watch',
      reason: expect.stringMatching(/fleet unreachable/),
    }),
  ]);
  expect(early.accounts['stalling-1'].stalled).toMatchObject({ step: 'watch', since: expect.any(String) });
  expect(early.openIssues).toEqual([]);

  // Past the threshold: an issue, and the slot early-2 frees at 10 minutes is not used.
  await env.sleep(STUB_SWAP_MS + MINUTE - STALL_SCRIPT.stalledAt - MINUTE);
  const blocked = await statusWithAccounts(handle);
  expect(blocked.accounts['early-2']).toMatchObject({ state: 'done', outcome: 'promoted' });
  expect(blocked.accounts['early-3'].state).toBe('pending');
  expect(blocked.accounts['stalling-1'].state).toBe('deploying');
  expect(blocked.openIssues).toEqual([
    expect.objectContaining({
      source: 'automated',
      accounts: ['stalling-1'],
      summary: expect.stringMatching(/^fleet unreachable for 3m.*: 1 swap\(s\) stalled, nothing rolled back/),
    }),
  ]);

  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect(Object.values(result.accounts).map((a) => a.outcome)).toEqual([
    'promoted',
    'promoted',
    'promoted',
    'promoted',
  ]);
  expect(result.stalls).toBeUndefined();
  expect(result.openIssues).toEqual([]);
  expect(result.issues).toEqual([
    expect.objectContaining({ source: 'automated', closedBy: expect.stringMatching(/recovered/) }),
  ]);
  expect(events(result)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^stalling-1 stalled at watch: fleet unreachable/),
      expect.stringMatching(/^issue #1 opened \(automated\): fleet unreachable/),
      expect.stringMatching(/^stalling-1 recovered at watch/),
      expect.stringMatching(/^stalled swaps recovered: issue #1 closed, new swaps start again/),
    ]),
  );
  // early-3 started only once the stalled swap recovered, so it finished a full swap after that.
  const recovered = Date.parse(result.timeline.find((e) => e.event.startsWith('stalling-1 recovered'))!.at);
  expect(Date.parse(result.lastWaveOneFinishedAt!)).toBeGreaterThanOrEqual(recovered + STUB_SWAP_MS);
});
