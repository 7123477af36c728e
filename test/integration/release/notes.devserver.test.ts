/**
 * Release notes compiled from the real fleet's catalogue for two accounts on different starting
 * versions (one skips versions), read with the `releaseNotes` query and `npm run notes`, and in
 * the result; a patch compiles them again with its reason.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases } from '../../../src/client';
import { createLogger } from '../../../src/logging/logger';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { startTestFleet, type TestFleet } from '../../harness/fleet';
import { REPO_ROOT } from '../../harness/tools';
import { waitFor } from '../../harness/wait';

const run = promisify(execFile);
const FAST_STRATEGY = {
  watch: { duration: '1 second', probesPerSecond: 5 },
  keepBlueWarm: 0,
  canary: { sampleSize: 20 },
};
const note = (kind: 'feature' | 'fix' | 'security' | 'breaking', text: string) => ({ kind, text });

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;

beforeAll(async () => {
  fleet = await startTestFleet({
    mode: 'lightweight',
    versions: [
      { version: '2026.44.0', initMs: 100, notes: [note('feature', 'Batch scoring')] },
      { version: '2026.45.0', initMs: 100, notes: [note('fix', 'Timeouts under load')] },
      {
        version: '2026.46.0',
        initMs: 100,
        notes: [note('breaking', 'v1 scores API removed'), note('security', 'TLS 1.3 only')],
      },
      { version: '2026.47.0', initMs: 100, notes: [note('feature', 'Faster fraud scores')] },
      { version: '2026.47.1', initMs: 100, notes: [note('fix', 'Scores rounded right')] },
    ],
    accounts: [
      { accountId: 'old', earlyAccess: true, useCases: ['fraud-score'], instanceCount: 1, currentVersion: '2026.44.0' },
      {
        accountId: 'new',
        earlyAccess: false,
        useCases: ['fraud-score'],
        instanceCount: 1,
        currentVersion: '2026.46.0',
      },
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

test('notes across skipped versions, one section per starting version, by query, npm run notes and the result', async () => {
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'notes-1',
      version: '2026.47.0',
      notes: ['Weekly release'],
      schedule: { stageLength: '3 seconds' },
      strategy: FAST_STRATEGY,
    },
    { taskQueue: 'staged-release' },
  );
  const notes = await waitFor(
    'the notes',
    async () => {
      const answer = await releases.notes(handle);
      return answer.markdown ? answer : undefined;
    },
    60_000,
  );
  expect(notes.sections).toEqual([
    { from: '2026.44.0', accounts: 1, versions: ['2026.45.0', '2026.46.0', '2026.47.0'] },
    { from: '2026.46.0', accounts: 1, versions: ['2026.47.0'] },
  ]);
  const markdown = notes.markdown!;
  expect(markdown).toContain('# Release notes-1: 2026.47.0');
  expect(markdown).toContain('- Weekly release');
  expect(markdown).toContain('### What changes for 1 account(s) on 2026.44.0 (2026.44.0 → 2026.47.0)');
  expect(markdown).toContain('- v1 scores API removed (2026.46.0)');
  const newer = markdown.slice(markdown.indexOf('on 2026.46.0 (2026.46.0 → 2026.47.0)'));
  expect(newer).toContain('- Faster fraud scores (2026.47.0)');
  expect(newer).not.toContain('v1 scores API removed');
  expect(markdown).not.toContain('Batch scoring');

  // Patch while wave 1 bakes: the notes are compiled again for the patch, with its reason.
  await waitFor(
    'wave 1 done',
    async () => ((await releases.status(handle)).stage === 'bake' ? true : undefined),
    60_000,
  );
  await releases.update.patch(handle, { version: '2026.47.1', reason: 'scores rounded wrong' });
  const result = await handle.result();
  expect(result.stage).toBe('completed');
  expect(result.targetVersion).toBe('2026.47.1');
  expect(result.releaseNotes).toContain('Patched: 2026.47.0 was replaced by 2026.47.1: scores rounded wrong');
  expect(result.releaseNotes).toContain('- Scores rounded right (2026.47.1)');

  const printed = await run(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['src/notes/main.ts', 'notes-1'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: env.namespace ?? 'default' },
  });
  expect(printed.stdout).toBe(result.releaseNotes);
}, 300_000);
