/**
 * Freeze windows on the real stack: a dev server, the real fleet daemon, the real blue-green swap,
 * and the worker's freeze calendar read from a JSON file as FREEZE_CALENDAR names it. A hotfix
 * started by hand with short stages waits in the freeze (no swap starts), and on-call lets it go
 * on with `overrideFreeze`, sent with the real Temporal CLI as the README's runbook writes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { freezeCalendarSource } from '../../../src/config/freeze-calendar';
import { createLogger } from '../../../src/logging/logger';
import type { AccountsPage } from '../../../src/domain/release/account-pages';
import type { ReleaseOverview } from '../../../src/domain/release/overview';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { runTemporalCli, startDevServer, startTestWorker, temporalJson, type TestWorker } from '../../harness/temporal';
import { oneInstanceAccount, startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { waitFor } from '../../harness/wait';

const TASK_QUEUE = 'staged-release';
const FAST_STRATEGY = {
  watch: { duration: '1 second', probesPerSecond: 5 },
  keepBlueWarm: 0,
  canary: { sampleSize: 20 },
};
const FREEZE_END = new Date(Date.now() + 24 * 3_600_000);
const FREEZE_START = new Date(Date.now() - 60_000);
const FREEZE_ID = `incident-freeze@${FREEZE_START.toISOString()}`;

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;
let calendarDir: string;

beforeAll(async () => {
  calendarDir = fs.mkdtempSync(path.join(os.tmpdir(), 'freeze-calendar-'));
  const calendarFile = path.join(calendarDir, 'freeze-calendar.json');
  fs.writeFileSync(
    calendarFile,
    JSON.stringify({
      freezes: [
        {
          id: 'incident-freeze',
          name: 'incident freeze',
          start: FREEZE_START.toISOString(),
          end: FREEZE_END.toISOString(),
        },
      ],
    }),
  );
  fleet = await startTestFleet({
    accounts: [
      oneInstanceAccount('f-early', true),
      oneInstanceAccount('f-late', false),
      oneInstanceAccount('g-early', true),
    ],
  });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    taskQueue: TASK_QUEUE,
    activities: createActivities({
      fleet: fleet.provider,
      logger: createLogger('error', 'test'),
      freezeCalendar: freezeCalendarSource(calendarFile),
    }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
  if (calendarDir) fs.rmSync(calendarDir, { recursive: true, force: true });
});

/** `npx temporal <args>` as the runbook writes it; fails the test with the CLI's own words. */
async function temporal(...args: string[]): Promise<string> {
  const result = await runTemporalCli(env, args, 'npx');
  if (result.code !== 0) throw new Error(`temporal ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

async function statusOf(workflowId: string): Promise<ReleaseOverview> {
  const answer = await temporalJson<{ queryResult: ReleaseOverview[] }>(
    env,
    ['workflow', 'query', '--workflow-id', workflowId, '--name', 'status'],
    'bin',
  );
  return answer.queryResult[0];
}

function waitForStatus(
  workflowId: string,
  what: string,
  ok: (s: ReleaseOverview) => boolean,
): Promise<ReleaseOverview> {
  return waitFor(
    `release ${workflowId} to get to: ${what}`,
    async () => {
      const status = await statusOf(workflowId).catch(() => undefined);
      return status && ok(status) ? status : undefined;
    },
    90_000,
    500,
  );
}

async function startHotfix(releaseId: string, accounts: string[]): Promise<string> {
  const id = `release-${releaseId}`;
  const input = {
    releaseId,
    version: TEST_VERSIONS.next,
    accounts,
    notes: ['security fix'],
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
  return id;
}

const fleetVersion = async (accountId: string) => (await fleet.provider.accountState(accountId)).version;
const result = (workflowId: string) => env.client.workflow.getHandle(workflowId).result() as Promise<ReleaseStatusView>;
/** The summaries of a workflow's timers, from its history. */
async function timerSummaries(workflowId: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.timerStartedEventAttributes)
    .map((event) => {
      const data = event.userMetadata?.summary?.data;
      return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : '';
    });
}

test('a hotfix started inside a freeze waits without starting a swap; overrideFreeze from the CLI lets it go on', async () => {
  const id = await startHotfix('f-hotfix-1', ['f-early', 'f-late']);
  const until = FREEZE_END.toISOString();
  const waiting = await waitForStatus(id, 'waiting on the freeze', (s) => s.freeze?.waitingOn !== undefined);
  expect(waiting.stage).toBe('wave-1');
  expect(waiting.freeze?.waitingOn).toMatchObject({
    id: FREEZE_ID,
    name: 'incident freeze',
    until,
    summary: `freeze "incident freeze" until ${until}`,
  });
  expect(waiting.timeline.map((e) => e.event)).toContain(`waiting: freeze "incident freeze" until ${until}`);
  expect(await timerSummaries(id)).toContain(`freeze "incident freeze" until ${until}`);
  // Nothing started: every account pending, still on its version.
  const accounts = (
    await temporalJson<{ queryResult: AccountsPage[] }>(
      env,
      ['workflow', 'query', '--workflow-id', id, '--name', 'accounts', '--input', '{}'],
      'bin',
    )
  ).queryResult[0].accounts;
  expect(accounts.map((a) => a.state)).toEqual(['pending', 'pending']);
  expect(await fleetVersion('f-early')).toBe(TEST_VERSIONS.current);

  // The validator refuses an override without a reason, and nothing is recorded.
  const refused = await runTemporalCli(
    env,
    ['workflow', 'update', 'execute', '--workflow-id', id, '--name', 'overrideFreeze', '--input', '{}'],
    'npx',
  );
  expect(refused.code).not.toBe(0);
  expect(refused.stderr + refused.stdout).toMatch(/overrideFreeze: reason: /);

  const answer = JSON.parse(
    await temporal(
      'workflow',
      'update',
      'execute',
      '--workflow-id',
      id,
      '--name',
      'overrideFreeze',
      '--input',
      '{"reason":"security hotfix approved by the on-call lead"}',
      '-o',
      'json',
    ),
  );
  expect(JSON.stringify(answer)).toContain('security hotfix approved by the on-call lead');

  const done = await result(id);
  expect(done.stage).toBe('completed');
  expect(done.accounts['f-early']).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(done.accounts['f-late']).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(await fleetVersion('f-late')).toBe(TEST_VERSIONS.next);
  expect(done.freeze?.overrides).toEqual([
    expect.objectContaining({ freezeId: FREEZE_ID, reason: 'security hotfix approved by the on-call lead' }),
  ]);
  expect(done.timeline.map((e) => e.event)).toEqual(
    expect.arrayContaining([
      'freeze "incident freeze" overridden (update)',
      'freeze "incident freeze" overridden: swaps start again',
    ]),
  );
});

test('the signal form: overrideFreeze sent as a signal from the CLI lets a waiting release go on', async () => {
  const id = await startHotfix('g-hotfix-1', ['g-early']);
  await waitForStatus(id, 'waiting on the freeze', (s) => s.freeze?.waitingOn !== undefined);
  await temporal(
    'workflow',
    'signal',
    '--workflow-id',
    id,
    '--name',
    'overrideFreeze',
    '--input',
    '{"reason":"customer-facing outage fix"}',
  );
  const done = await result(id);
  expect(done.stage).toBe('completed');
  expect(done.accounts['g-early']).toMatchObject({ outcome: 'promoted', version: TEST_VERSIONS.next });
  expect(done.timeline.map((e) => e.event)).toContain('freeze "incident freeze" overridden (signal)');
});
