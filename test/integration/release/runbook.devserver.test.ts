/**
 * Whole releases on the real stack: a dev server, the real fleet daemon (engine processes behind
 * routers), the real blue-green child, and on-call driving the release with the real `temporal`
 * CLI exactly as the README's runbook writes it: `npx temporal ...` from the clone (the package's
 * bin/temporal, the entry point a fresh clone has after `npm start`), never the cache path.
 * Polling between commands uses bin/temporal directly, to spare npx's start-up. Stage length "5 seconds".
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { createLogger } from '../../../src/logging/logger';
import type { AccountsPage, AccountsRequest } from '../../../src/domain/release/account-pages';
import type { ReleaseOverview } from '../../../src/domain/release/overview';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import {
  runTemporalCli,
  startDevServer,
  startTestWorker,
  temporalJson,
  type CliEntryPoint,
  type TestWorker,
} from '../../harness/temporal';
import { startTestFleet, TEST_VERSIONS, type TestFleet, oneInstanceAccount } from '../../harness/fleet';
import { waitFor } from '../../harness/wait';

const TASK_QUEUE = 'staged-release';
const FAST_STRATEGY = {
  watch: { duration: '1 second', probesPerSecond: 5 },
  keepBlueWarm: 0,
  canary: { sampleSize: 20 },
};
const account = oneInstanceAccount;

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [
      account('a-early', true),
      account('a-late', false),
      account('b-early-1', true),
      account('b-early-2', true),
      account('b-late', false),
      account('c-early', true),
      account('c-late', false),
    ],
  });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    taskQueue: TASK_QUEUE,
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

/** `npx temporal <args>` as the runbook writes it; fails the test with the CLI's own words. */
async function temporal(...args: string[]): Promise<string> {
  const result = await runTemporalCli(env, args, 'npx');
  if (result.code !== 0) throw new Error(`temporal ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** `temporal workflow query --name accounts --input '<filter>'`, as the runbook writes it: one page. */
async function accountsOf(
  workflowId: string,
  filter: AccountsRequest = {},
  via: CliEntryPoint = 'bin',
): Promise<AccountsPage> {
  const answer = await temporalJson<{ queryResult: AccountsPage[] }>(
    env,
    ['workflow', 'query', '--workflow-id', workflowId, '--name', 'accounts', '--input', JSON.stringify(filter)],
    via,
  );
  return answer.queryResult[0];
}

/** The runbook's `query --name status -o json`; `npx` for the runbook's own use, `bin` while polling. */
async function statusOf(workflowId: string, via: CliEntryPoint = 'bin'): Promise<ReleaseOverview> {
  const answer = await temporalJson<{ queryResult: ReleaseOverview[] }>(
    env,
    ['workflow', 'query', '--workflow-id', workflowId, '--name', 'status'],
    via,
  );
  return answer.queryResult[0];
}

function waitForStatus(
  workflowId: string,
  what: string,
  ok: (s: ReleaseOverview) => boolean,
  timeoutMs = 90_000,
): Promise<ReleaseOverview> {
  return waitFor(
    `release ${workflowId} to get to: ${what}`,
    async () => {
      const status = await statusOf(workflowId).catch(() => undefined);
      return status && ok(status) ? status : undefined;
    },
    timeoutMs,
    500,
  );
}

const fleetVersion = async (accountId: string) => (await fleet.provider.accountState(accountId)).version;
const result = (workflowId: string) => env.client.workflow.getHandle(workflowId).result() as Promise<ReleaseStatusView>;

test('a whole release through real blue-green swaps, found by its search attributes and inspected from the CLI', async () => {
  const input = {
    releaseId: 'a-2026-47',
    version: TEST_VERSIONS.next,
    accounts: ['a-early', 'a-late'],
    schedule: { stageLength: '5 seconds' },
    strategy: FAST_STRATEGY,
  };
  await temporal(
    'workflow',
    'start',
    '--type',
    'stagedRelease',
    '--task-queue',
    TASK_QUEUE,
    '--workflow-id',
    'release-a-2026-47',
    '--input',
    JSON.stringify(input),
  );

  const waveOne = await waitForStatus('release-a-2026-47', 'wave 1 running', (s) => s.stage === 'wave-1');
  expect(waveOne.accountsTotal).toBe(2);
  expect((await accountsOf('release-a-2026-47', { wave: 1 })).accounts).toEqual([
    expect.objectContaining({ accountId: 'a-early', wave: 1 }),
  ]);
  const done = await result('release-a-2026-47');
  expect(done.stage).toBe('completed');
  expect(done.accounts['a-early']).toMatchObject({
    outcome: 'promoted',
    version: TEST_VERSIONS.next,
    previous: TEST_VERSIONS.current,
  });
  expect(done.accounts['a-late']).toMatchObject({ wave: 2, outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(await fleetVersion('a-early')).toBe(TEST_VERSIONS.next);
  expect(await fleetVersion('a-late')).toBe(TEST_VERSIONS.next);

  const listed = await temporal('workflow', 'list', '--query', 'ReleaseId="a-2026-47" AND ReleaseStage="completed"');
  expect(listed).toContain('release-a-2026-47');
  const described = await temporal('workflow', 'describe', '--workflow-id', 'release-a-2026-47');
  expect(described).toMatch(/ReleaseVersion:.*2026\.47\.0/);
  expect((await statusOf('release-a-2026-47', 'npx')).stage).toBe('completed');
});

test('on-call pauses a held release, patches it from the CLI, and wave 2 gets the patch', async () => {
  const id = 'release-b-2026-47';
  const input = {
    releaseId: 'b-2026-47',
    version: TEST_VERSIONS.wrongValues,
    accounts: ['b-early-1', 'b-early-2', 'b-late'],
    schedule: { stageLength: '5 seconds' },
    strategy: FAST_STRATEGY,
  };
  await temporal(
    'workflow',
    'start',
    '--type',
    'stagedRelease',
    '--task-queue',
    TASK_QUEUE,
    '--workflow-id',
    id,
    '--input',
    JSON.stringify(input),
  );

  const held = await waitForStatus(id, 'held on the automatic rollback', (s) => s.stage === 'held');
  expect(held.openIssues[0]).toMatchObject({ source: 'automated' });
  expect((await accountsOf(id, { outcome: 'rolled-back' })).accounts.length).toBeGreaterThan(0);
  expect(await fleetVersion('b-early-1')).toBe(TEST_VERSIONS.current);

  const paused = JSON.parse(
    await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'pause',
      '--input',
      '{"reason":"looking at the canary report"}',
      '-o',
      'json',
    ),
  );
  expect(JSON.stringify(paused)).toContain('"paused":true');
  const refused = await runTemporalCli(
    env,
    [
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'patch',
      '--input',
      JSON.stringify({ version: TEST_VERSIONS.wrongValues, reason: 'same' }),
      '-o',
      'json',
    ],
    'npx',
  );
  expect(refused.code).not.toBe(0);
  expect(refused.stderr + refused.stdout).toMatch(/already the version this release deploys/);
  const patched = JSON.parse(
    await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'patch',
      '--input',
      JSON.stringify({ version: TEST_VERSIONS.patch, reason: 'fixes wrong fraud scores' }),
      '-o',
      'json',
    ),
  );
  // The answer reads as JSON (not a Go map): the new status, with the pending patch.
  expect(JSON.stringify(patched)).toContain(TEST_VERSIONS.patch);
  await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'resume', '--input', '{}');

  const done = await result(id);
  expect(done.stage).toBe('completed');
  expect(done.targetVersion).toBe(TEST_VERSIONS.patch);
  for (const accountId of ['b-early-1', 'b-early-2', 'b-late']) {
    expect(done.accounts[accountId]).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.patch });
    expect(await fleetVersion(accountId)).toBe(TEST_VERSIONS.patch);
  }
  expect(done.timeline.map((e) => e.event)).toEqual(
    expect.arrayContaining(['paused (update)', 'resumed (signal)', 'stage patch-wave-1']),
  );
});

test('abort with rollback from the CLI puts finished accounts back on their previous version', async () => {
  const id = 'release-c-2026-47';
  const input = {
    releaseId: 'c-2026-47',
    version: TEST_VERSIONS.next,
    accounts: ['c-early', 'c-late'],
    schedule: { stageLength: '1 day' },
    strategy: FAST_STRATEGY,
  };
  await temporal(
    'workflow',
    'start',
    '--type',
    'stagedRelease',
    '--task-queue',
    TASK_QUEUE,
    '--workflow-id',
    id,
    '--input',
    JSON.stringify(input),
  );
  await waitForStatus(id, 'wave 1 baking', (s) => s.stage === 'bake');
  expect(await fleetVersion('c-early')).toBe(TEST_VERSIONS.next);
  const listed = await temporal('workflow', 'list', '--query', 'ReleaseStage="bake"');
  expect(listed).toContain(id);

  await temporal(
    'workflow',
    'update',
    'execute',
    '--workflow-id',
    id,
    '--name',
    'reportIssue',
    '--input',
    '{"summary":"error rate up on c-early","accounts":["c-early"]}',
    '-o',
    'json',
  );
  await temporal(
    'workflow',
    'update',
    'execute',
    '--workflow-id',
    id,
    '--name',
    'abort',
    '--input',
    '{"reason":"error rate up","rollback":true}',
    '-o',
    'json',
  );
  const again = await runTemporalCli(
    env,
    [
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'abort',
      '--input',
      '{"reason":"twice"}',
      '-o',
      'json',
    ],
    'npx',
  );
  expect(again.code).not.toBe(0);

  const done = await result(id);
  expect(done.stage).toBe('aborted');
  expect(done.accounts['c-early']).toMatchObject({ outcome: 'reverted', version: TEST_VERSIONS.current });
  expect(done.accounts['c-late']).toMatchObject({ outcome: 'not-released' });
  expect(await fleetVersion('c-early')).toBe(TEST_VERSIONS.current);
  expect(await fleetVersion('c-late')).toBe(TEST_VERSIONS.current);
});
