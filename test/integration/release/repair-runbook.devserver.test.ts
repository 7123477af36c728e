/**
 * The README's per-account repair runbook ("Repair one account"), its lines run verbatim with bash
 * against a dev server, the real fleet and the real blue-green swap: a wave-1 account rolls back on
 * a bad version and the release holds; the version is fixed on the platform; on-call retries the
 * account, skips one, rolls the retried one back, and the release completes without them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases } from '../../../src/client';
import { createLogger } from '../../../src/logging/logger';
import type { AccountEntry } from '../../../src/domain/release/account-pages';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { oneInstanceAccount, startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { REPO_ROOT } from '../../harness/tools';
import { waitFor } from '../../harness/wait';
import { runLine } from '../versioning/runbook-block';

const HEADING = '### Repair one account: retryAccount, skipAccount, rollbackAccount';
const FAST_STRATEGY = {
  watch: { duration: '1 second', probesPerSecond: 5 },
  keepBlueWarm: 0,
  canary: { sampleSize: 20 },
};

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [
      oneInstanceAccount('acme', true),
      oneInstanceAccount('globex', false),
      oneInstanceAccount('hooli', false),
    ],
  });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    taskQueue: 'staged-release',
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

/** The runbook's command lines, keyed by the message each sends ("update retryAccount", "signal skipAccount"). */
function runbookLines(): Map<string, string> {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(HEADING));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!readme.includes(HEADING) || !block) throw new Error(`README.md has no sh block under "${HEADING}"`);
  const lines = new Map<string, string>();
  for (const line of block[1].split('\n').filter((l) => l.startsWith('npx temporal'))) {
    const kind = /workflow (update execute|signal)/.exec(line)![1] === 'signal' ? 'signal' : 'update';
    lines.set(`${kind} ${/--name (\w+)/.exec(line)![1]}`, line);
  }
  return lines;
}

async function run(line: string | undefined): Promise<string> {
  if (!line) throw new Error('the runbook lacks this line');
  const result = await runLine(env, line, { OLD_BUILD: '', NEW_BUILD: '' });
  if (result.code !== 0) throw new Error(`${line}\nfailed (${result.code}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

async function account(handle: releases.ReleaseHandle, accountId: string): Promise<AccountEntry> {
  return (await releases.accounts(handle, { accountIds: [accountId] })).accounts[0];
}

test('retry, skip and roll back one account, as the README writes them', async () => {
  const lines = runbookLines();
  expect([...lines.keys()].sort()).toEqual([
    'signal skipAccount',
    'update retryAccount',
    'update rollbackAccount',
    'update skipAccount',
  ]);
  const version = TEST_VERSIONS.wrongValues;
  const handle = await releases.start(
    env.client,
    { releaseId: '2026-47', version, schedule: { stageLength: '5 seconds' }, strategy: FAST_STRATEGY },
    { taskQueue: 'staged-release' },
  );
  // acme serves wrong values: its canary rolls it back, an issue opens and the release holds.
  await waitFor(
    'the release to hold on acme',
    async () => (await releases.status(handle)).stage === 'held' || undefined,
    120_000,
  );
  expect((await account(handle, 'acme')).outcome).toBe('rolled-back');

  // The platform fixes the version; on-call retries acme.
  const fixed = await fetch(`${fleet.url}/versions/${version}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: null }),
  });
  expect(fixed.ok).toBe(true);
  // The update answers the release's status (JSON): still held until on-call resumes.
  expect(JSON.stringify(JSON.parse(await run(lines.get('update retryAccount'))))).toContain('"stage":"held"');
  await waitFor(
    'acme promoted',
    async () => (await account(handle, 'acme')).outcome === 'promoted' || undefined,
    120_000,
  );
  expect((await fleet.provider.accountState('acme')).version).toBe(version);

  // globex is left out; the signal form leaves hooli out too.
  await run(lines.get('update skipAccount'));
  await run(lines.get('signal skipAccount'));
  await waitFor(
    'hooli skipped',
    async () => (await account(handle, 'hooli')).outcome === 'not-released' || undefined,
    30_000,
  );
  expect(await account(handle, 'globex')).toMatchObject({
    outcome: 'not-released',
    reason: 'skipped by on-call: customer asked to wait',
  });

  // acme goes back to the version it ran before.
  await run(lines.get('update rollbackAccount'));
  await waitFor(
    'acme reverted',
    async () => (await account(handle, 'acme')).outcome === 'reverted' || undefined,
    120_000,
  );
  expect((await fleet.provider.accountState('acme')).version).toBe(TEST_VERSIONS.current);
  // A second rollback is refused, with the reason.
  const again = await runLine(env, lines.get('update rollbackAccount')!, { OLD_BUILD: '', NEW_BUILD: '' });
  expect(again.code).not.toBe(0);
  expect(again.stderr + again.stdout).toContain('rollbackAccount: acme is not promoted in this release (reverted)');

  await releases.update.resume(handle, { reason: 'repaired by hand' });
  const result = await handle.result();
  expect(result.stage).toBe('completed');
  expect((await fleet.provider.accountState('globex')).version).toBe(TEST_VERSIONS.current);
  const timeline = (await releases.status(handle)).timeline.map((entry) => entry.event);
  expect(timeline).toEqual(
    expect.arrayContaining([
      `acme retried on ${version} (update)`,
      'globex skipped (update)',
      'hooli skipped (signal)',
      `acme rolled back to ${TEST_VERSIONS.current} (update)`,
    ]),
  );
}, 400_000);
