/**
 * The README's release train runbook, run verbatim on the dev server with the real Temporal CLI,
 * a real fleet and the real activities: the schedule is applied (and re-applying keeps a pause),
 * paused and unpaused; a firing by `trigger` finds nothing to release and says why; once a newer
 * stable version is published, a firing by `backfill` starts its release; a release of that
 * version started by hand with `temporal workflow start` is refused.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import { releases, train } from '../../../src/client';
import type { ReleaseTrainResult } from '../../../src/domain/train/input';
import { createLogger } from '../../../src/logging/logger';
import { oneInstanceAccount, startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { runTemporalCli, startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { REPO_ROOT, temporalCli } from '../../harness/tools';
import { waitFor } from '../../harness/wait';

const HEADING = '### Runbook: the release train';
const TASK_QUEUE = 'staged-release-train-test';

/** Step number → its command lines, from the first bash block after the runbook's heading. */
function runbookSteps(): Map<number, string[]> {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(HEADING)));
  if (!readme.includes(HEADING) || !block) throw new Error(`README.md has no bash block under "${HEADING}"`);
  const steps = new Map<number, string[]>();
  let current: string[] | undefined;
  for (const line of block[1].split('\n')) {
    const heading = /^# (\d+)\. /.exec(line);
    if (heading) steps.set(Number(heading[1]), (current = []));
    else if (line.trim() && current) current.push(line);
  }
  return steps;
}

const steps = runbookSteps();
let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: TestWorker;
/** The runbook's variables (step 6). */
const vars: Record<string, string> = {};

/** Runs one line with bash from the repository root, as on-call would type it; throws with its words when it fails. */
async function sh(line: string): Promise<string> {
  const childEnv = {
    ...process.env,
    ...vars,
    PATH: `${path.dirname(temporalCli())}:${process.env.PATH ?? ''}`,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    LOG_LEVEL: 'info',
  };
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      'bash',
      ['-c', line],
      { env: childEnv, cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
  if (result.code !== 0) throw new Error(`failed (${result.code}): ${line}\n${result.stderr}`);
  return result.stdout;
}

/** Runs a step's lines of the README block in order. */
async function step(n: number): Promise<string> {
  const lines = steps.get(n);
  if (!lines?.length) throw new Error(`the README train runbook has no step ${n}`);
  let out = '';
  for (const line of lines) out += await sh(line);
  return out;
}

const describe = () => train.describeSchedule(env.client);

/** The train run of the firing after `seen` earlier firings, once it has ended. */
async function firingResult(seen: number): Promise<{ workflowId: string; result: ReleaseTrainResult }> {
  const workflowId = await waitFor(
    `firing ${seen + 1} of the release train`,
    async () => (await describe()).info.recentActions[seen]?.action.workflow.workflowId,
    30_000,
    200,
  );
  return { workflowId, result: (await env.client.workflow.getHandle(workflowId).result()) as ReleaseTrainResult };
}

/** The most recent Day 1 of the default calendar (Tuesday 09:00 UTC) before now. */
function lastTuesdayNine(now = Date.now()): Date {
  const at = new Date(now);
  at.setUTCHours(9, 0, 0, 0);
  while (at.getUTCDay() !== 2 || at.getTime() > now) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [oneInstanceAccount('t-early', true), oneInstanceAccount('t-late', false)],
    // Production runs `current`, published a week ago; every other test version is only a candidate.
    versions: [
      { version: TEST_VERSIONS.current, initMs: 150, channel: 'stable', publishedAt: '-7 days' },
      ...[TEST_VERSIONS.next, TEST_VERSIONS.patch, TEST_VERSIONS.major, TEST_VERSIONS.wrongValues].map((version) => ({
        version,
        initMs: 150,
        channel: 'candidate' as const,
        publishedAt: '-1 day',
      })),
      ...[
        TEST_VERSIONS.failsToStart,
        TEST_VERSIONS.neverReady,
        TEST_VERSIONS.errorsAfterPromotion,
        TEST_VERSIONS.slowAfterPromotion,
      ].map((version) => ({ version, initMs: 150, channel: 'candidate' as const })),
    ],
  });
  env = await startDevServer();
  worker = await startTestWorker(env, {
    taskQueue: TASK_QUEUE,
    activities: createActivities({ fleet: fleet.provider, logger: createLogger('error', 'test') }),
  });
}, 120_000);

afterAll(async () => {
  for (const workflowId of [`release-${TEST_VERSIONS.next}`])
    await env?.client.workflow
      .getHandle(workflowId)
      .terminate('test done')
      .catch(() => undefined);
  await worker?.stop();
  await env?.teardown();
  await fleet?.stop();
});

test('the README train runbook, verbatim: apply, describe, pause, unpause, trigger, backfill, list', async () => {
  // 1. The schedule: Tuesday 09:00 UTC, never overlapping itself.
  await step(1);
  const applied = await describe();
  expect(applied.spec.calendars).toEqual([
    expect.objectContaining({ dayOfWeek: [{ start: 'TUESDAY', end: 'TUESDAY', step: 1 }] }),
  ]);
  expect(applied.spec.timezone).toBe('UTC');
  expect(applied.policies.overlap).toBe('SKIP');
  expect(applied.action).toMatchObject({ workflowType: train.workflowType, taskQueue: TASK_QUEUE });
  expect(applied.info.nextActionTimes[0].getUTCDay()).toBe(2);

  // 2. Describe answers with the schedule; so does `npm run train -- describe`, as JSON.
  expect(await step(2)).toContain('release-train');
  const described = JSON.parse(/\{[\s\S]*\}\s*$/.exec(await sh('npm run --silent train -- describe'))![0]);
  expect(described).toMatchObject({ scheduleId: 'release-train', timezone: 'UTC', paused: false, overlap: 'SKIP' });
  expect(new Date(described.nextFirings[0]).getUTCDay()).toBe(2);

  // 3. Paused with the reason; applying again keeps the pause.
  await step(3);
  expect((await describe()).state).toMatchObject({ paused: true, note: 'incident INC-42: no releases' });
  await step(1);
  expect((await describe()).state.paused).toBe(true);

  // 4. Unpaused.
  await step(4);
  expect((await describe()).state.paused).toBe(false);

  // 5. A firing now: production runs the newest stable version, so there is nothing to release.
  await step(5);
  const idle = await firingResult(0);
  expect(idle.result).toEqual({
    outcome: 'nothing-to-release',
    reason: expect.stringMatching(
      new RegExp(`^nothing to release: no stable version published after ${TEST_VERSIONS.current} `),
    ),
  });

  // A newer stable version is published; the firing missed last Tuesday is taken by a backfill.
  const published = await fetch(`${fleet.url}/versions/${TEST_VERSIONS.next}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'stable', publishedAt: 'now' }),
  });
  expect(published.status).toBe(200);
  const day1 = lastTuesdayNine();
  vars.FROM = new Date(day1.getTime() - 60_000).toISOString();
  vars.TO = new Date(day1.getTime() + 60_000).toISOString();
  await step(6);
  const firingId = await waitFor(
    'the backfilled firing',
    async () => (await describe()).info.recentActions[1]?.action.workflow.workflowId,
    30_000,
    200,
  );
  const release = releases.getHandle(env.client, TEST_VERSIONS.next);
  const started = await waitFor(
    'the release the train started',
    () => releases.status(release).catch(() => undefined),
    60_000,
    200,
  );
  expect(started).toMatchObject({ releaseId: TEST_VERSIONS.next, targetVersion: TEST_VERSIONS.next });
  expect(started.notes[0]).toMatch(/^Weekly release train, fired /);
  const parent = (await release.describe()).raw.workflowExecutionInfo?.parentExecution?.workflowId;
  expect(parent).toBe(firingId);

  // 7. Both firings are listed.
  const listed = await step(7);
  expect(listed).toContain(idle.workflowId);
  expect(listed).toContain(firingId);

  // The same version by hand, to every account: refused at planning with the release's own words.
  const start = await runTemporalCli(
    env,
    [
      'workflow',
      'start',
      '--type',
      'stagedRelease',
      '--task-queue',
      TASK_QUEUE,
      '--workflow-id',
      'release-by-hand',
      '--input',
      JSON.stringify({ releaseId: 'by-hand', version: TEST_VERSIONS.next }),
    ],
    'npx',
  );
  expect(start.code).toBe(0);
  const refused = await runTemporalCli(env, ['workflow', 'result', '--workflow-id', 'release-by-hand'], 'npx');
  expect(refused.code).not.toBe(0);
  expect(`${refused.stdout}${refused.stderr}`).toContain(
    `${TEST_VERSIONS.next} already released by release-${TEST_VERSIONS.next} (running)`,
  );
}, 300_000);
