/**
 * The `accounts` query on a real server: a small release (stand-in swaps of 200 ms, stage length
 * "5 seconds") paged through while it runs and once it is closed, filtered by wave, state and
 * outcome; a request it cannot answer fails the query alone, in words that say what to fix.
 * `status` answers the overview, never the accounts.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases, type ReleaseHandle } from '../../../src/client';
import type { AccountEntry } from '../../../src/domain/release/account-pages';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
const EARLY = ids('early', 3);
const LATE = ids('late', 22);

let env: TestWorkflowEnvironment;
let worker: TestWorker;

beforeAll(async () => {
  env = await startDevServer();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(fakeRegistry(EARLY, LATE)),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** Every page of the query with this filter, and how many pages it took. */
async function allPages(handle: ReleaseHandle, filter: Parameters<typeof releases.accounts>[1]) {
  const seen: AccountEntry[] = [];
  let pages = 0;
  let pageToken: string | undefined;
  do {
    const page = await releases.accounts(handle, { ...filter, ...(pageToken ? { pageToken } : {}) });
    expect(page.total).toBe(25);
    seen.push(...page.accounts);
    pageToken = page.nextPageToken;
    pages++;
  } while (pageToken !== undefined);
  return { seen, pages };
}

test('pages through a release while it runs and once it is closed, by wave, state and outcome', async () => {
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'paged',
      version: '2026.47.0',
      schedule: { stageLength: '5 seconds' },
      strategy: { concurrency: { wave1: 3, wave2: 4 }, keepBlueWarm: 200 },
    },
    { taskQueue: worker.taskQueue },
  );

  // While wave 1 runs: its accounts deploy or are done, wave 2 still pending.
  await waitFor(
    'wave 1 to start',
    async () => {
      const page = await releases.accounts(handle, { wave: 1, state: 'pending' });
      return page.total === 25 && page.accounts.length < 3 ? true : undefined;
    },
    60_000,
    100,
  );
  const pendingLate = await allPages(handle, { wave: 2, state: 'pending', pageSize: 10 });
  expect(pendingLate.seen.map((a) => a.accountId)).toEqual(LATE);
  expect(pendingLate.pages).toBe(3);

  const result = await handle.result();
  expect(result.stage).toBe('completed');

  const overview = await releases.status(handle);
  expect(overview).not.toHaveProperty('accounts');
  expect(overview).toMatchObject({ stage: 'completed', accountsTotal: 25 });
  expect(overview.waves.wave2).toMatchObject({ total: 22, promoted: 22 });

  const everyone = await allPages(handle, { pageSize: 7 });
  expect(everyone.pages).toBe(4);
  expect(everyone.seen.map((a) => a.accountId)).toEqual([...EARLY, ...LATE]);
  // The same records the result lists.
  for (const { accountId, ...account } of everyone.seen) expect(result.accounts[accountId]).toEqual(account);

  expect((await allPages(handle, { wave: 1 })).seen).toEqual([
    expect.objectContaining({ accountId: 'early-00', wave: 1, outcome: 'promoted', version: '2026.47.0' }),
    expect.objectContaining({ accountId: 'early-01', wave: 1, outcome: 'promoted', version: '2026.47.0' }),
    expect.objectContaining({ accountId: 'early-02', wave: 1, outcome: 'promoted', version: '2026.47.0' }),
  ]);
  expect((await allPages(handle, { outcome: 'promoted' })).seen).toHaveLength(25);
  expect(await releases.accounts(handle, { outcome: 'rolled-back' })).toEqual({ accounts: [], total: 25 });
  expect((await releases.accounts(handle, { accountIds: ['late-05', 'nobody'] })).accounts).toEqual([
    expect.objectContaining({ accountId: 'late-05', wave: 2 }),
  ]);

  await expect(releases.accounts(handle, { pageSize: 0 })).rejects.toThrow(/accounts: pageSize/);
  await expect(releases.accounts(handle, { pageToken: 'p999' })).rejects.toThrow(/start again without one/);
  expect((await handle.describe()).status.name).toBe('COMPLETED');
});
