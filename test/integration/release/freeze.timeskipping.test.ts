/**
 * Freeze windows on the time-skipping server, with the scripted stand-in swap (10 minutes each):
 * no swap of a wave starts inside a freeze, a swap in flight when one begins finishes, the wait is
 * a timer named after the freeze, a freeze added to the calendar during the release is honoured at
 * the next wave, and on-call's overrideFreeze lets the release go on through one.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases, type ReleaseHandle } from '../../../src/client';
import { deploymentWorkflowId } from '../../../src/domain/deployment/swap';
import { FreezeCalendarSchema, NO_FREEZES, type FreezeCalendar } from '../../../src/domain/freeze/calendar';
import type { StagedReleaseInput } from '../../../src/domain/release/input';
import type { ReleaseStatusView } from '../../../src/domain/release/view';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const VERSION = '2026.47.0';

let env: TestWorkflowEnvironment;
let worker: TestWorker;
/** The calendar the worker's activity answers now; each test sets its own. */
let calendar: FreezeCalendar = NO_FREEZES;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(fakeRegistry(['early-1', 'early-2'], ['late-1']), {
      freezeCalendar: () => calendar,
    }),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

let counter = 0;
/** A release whose Day 1 is a whole hour ahead of the server's clock (so freezes can be placed around it). */
async function startRelease(
  freezesAroundDayOne: (day1: number) => unknown[],
  input: Partial<StagedReleaseInput> = {},
): Promise<{ handle: ReleaseHandle; day1: number; releaseId: string }> {
  const serverNow = await env.currentTimeMs();
  const day1 = Math.ceil((serverNow + HOUR) / HOUR) * HOUR;
  calendar = FreezeCalendarSchema.parse({ freezes: freezesAroundDayOne(day1) });
  const releaseId = `freeze-${++counter}`;
  const handle = await releases.start(
    env.client,
    {
      releaseId,
      version: VERSION,
      accounts: ['early-1', 'early-2', 'late-1'],
      schedule: { startAt: new Date(day1).toISOString() },
      ...input,
    },
    { taskQueue: worker.taskQueue },
  );
  return { handle, day1, releaseId };
}

const iso = (ms: number) => new Date(ms).toISOString();
const oneOff = (id: string, start: number, end: number) => ({ id, name: id, start: iso(start), end: iso(end) });
/** When the swap of an account started and closed (its child workflow), from the server. */
async function swapTimes(releaseId: string, accountId: string): Promise<{ start: number; close: number }> {
  const description = await env.client.workflow
    .getHandle(deploymentWorkflowId(accountId, VERSION, releaseId))
    .describe();
  return { start: description.startTime.getTime(), close: description.closeTime?.getTime() ?? Infinity };
}
/** The summaries of the release's timers, from its history. */
async function timerSummaries(handle: ReleaseHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((event) => event.timerStartedEventAttributes)
    .map((event) => {
      const data = event.userMetadata?.summary?.data;
      return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : '';
    });
}
/** The innermost failure message (client errors wrap the workflow's ApplicationFailure). */
const messageOf = (error: Error): string => (error.cause instanceof Error ? messageOf(error.cause) : error.message);
/** Lets the server's clock run until `at` (plus a little). */
async function advanceTo(at: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (at > now) await env.sleep(at - now);
}
const events = (s: Pick<ReleaseStatusView, 'timeline'>) => s.timeline.map((entry) => entry.event);

test('Day 1 inside a freeze: no swap starts until it ends, the wait is a timer named after it, and the release completes', async () => {
  const { handle, day1, releaseId } = await startRelease((day1) => [oneOff('year-end', day1 - HOUR, day1 + 3 * HOUR)]);
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  const freezeEnd = day1 + 3 * HOUR;
  for (const accountId of ['early-1', 'early-2', 'late-1'])
    expect((await swapTimes(releaseId, accountId)).start).toBeGreaterThanOrEqual(freezeEnd);
  expect(events(result)).toEqual(
    expect.arrayContaining([
      'freeze calendar read',
      `waiting: freeze "year-end" until ${iso(freezeEnd)}`,
      'freeze "year-end" over: swaps start again',
    ]),
  );
  expect(await timerSummaries(handle)).toContain(`freeze "year-end" until ${iso(freezeEnd)}`);
  expect(result.freeze).toMatchObject({ overrides: [], rules: 1 });
  expect(result.freeze?.waitingOn).toBeUndefined();
});

test('a swap in flight when a freeze begins finishes; the next swap of the wave waits for the freeze to end', async () => {
  // Wave 1 one at a time: early-1 starts at Day 1 and takes 10 minutes; the freeze begins 5 minutes in.
  const { handle, day1, releaseId } = await startRelease(
    (day1) => [oneOff('change-freeze', day1 + 5 * MINUTE, day1 + 2 * HOUR)],
    { strategy: { concurrency: { wave1: 1 } } },
  );
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  const first = await swapTimes(releaseId, 'early-1');
  expect(first.start).toBeLessThan(day1 + 5 * MINUTE);
  expect(first.close).toBeGreaterThan(day1 + 5 * MINUTE); // it ran on inside the freeze
  expect(result.accounts['early-1']).toMatchObject({ outcome: 'promoted', version: VERSION });
  expect((await swapTimes(releaseId, 'early-2')).start).toBeGreaterThanOrEqual(day1 + 2 * HOUR);
  // The scheduler woke at the freeze's start (its own timer), so it stopped starting swaps then.
  expect(await timerSummaries(handle)).toEqual(
    expect.arrayContaining([
      `until freeze "change-freeze" begins at ${iso(day1 + 5 * MINUTE)}`,
      `freeze "change-freeze" until ${iso(day1 + 2 * HOUR)}`,
    ]),
  );
});

test('a freeze added to the calendar during the release is honoured by the next wave', async () => {
  const { handle, day1, releaseId } = await startRelease(() => []);
  await advanceTo(day1 + HOUR);
  await waitFor(
    'wave 1 to finish',
    async () => (await releases.status(handle)).waves.wave1.promoted === 2 || undefined,
    30_000,
    50,
  );
  // Day 3 (wave 2) falls in a freeze added now.
  calendar = FreezeCalendarSchema.parse({
    freezes: [oneOff('added-later', day1 + 2 * DAY - HOUR, day1 + 2 * DAY + 6 * HOUR)],
  });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  expect((await swapTimes(releaseId, 'late-1')).start).toBeGreaterThanOrEqual(day1 + 2 * DAY + 6 * HOUR);
  expect(events(result)).toContain(`waiting: freeze "added-later" until ${iso(day1 + 2 * DAY + 6 * HOUR)}`);
});

test('overrideFreeze is refused with no freeze near, and lets a waiting release go on through the freeze in force', async () => {
  const { handle, day1, releaseId } = await startRelease((day1) => [oneOff('long-freeze', day1, day1 + 30 * DAY)]);
  const refused = await releases.update.overrideFreeze(handle, { reason: 'too early' }).then(
    () => new Error('expected a refusal'),
    (error: Error) => error,
  );
  expect(messageOf(refused)).toMatch(/no freeze is in force .* begins within the hour/);
  await advanceTo(day1 + 10 * MINUTE);
  const waiting = await waitFor(
    'the release to wait on the freeze',
    async () => {
      const status = await releases.status(handle);
      return status.freeze?.waitingOn ? status : undefined;
    },
    30_000,
    50,
  );
  expect(waiting.freeze?.waitingOn).toMatchObject({ name: 'long-freeze', until: iso(day1 + 30 * DAY) });
  const answer = await releases.update.overrideFreeze(handle, { reason: 'security fix, approved by on-call lead' });
  expect(answer.freeze?.overrides).toEqual([
    expect.objectContaining({ name: 'long-freeze', reason: 'security fix, approved by on-call lead' }),
  ]);
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('completed');
  // Went on at once (Day 1 + 10 minutes), not after the 30-day freeze.
  expect((await swapTimes(releaseId, 'early-1')).start).toBeLessThan(day1 + 30 * MINUTE);
  expect(events(result)).toEqual(
    expect.arrayContaining([
      'freeze "long-freeze" overridden (update)',
      'freeze "long-freeze" overridden: swaps start again',
    ]),
  );
});

test('an abort with rollback inside a freeze reverts the finished accounts: reverts are compensations, not held', async () => {
  // Wave 1 finishes 10 minutes into Day 1; the freeze begins at 30 minutes and lasts a month.
  const { handle, day1 } = await startRelease((day1) => [oneOff('month-freeze', day1 + 30 * MINUTE, day1 + 30 * DAY)]);
  await advanceTo(day1 + HOUR);
  expect((await releases.status(handle)).waves.wave1.promoted).toBe(2);
  await releases.update.abort(handle, { reason: 'customer escalations', rollback: true });
  const result = (await handle.result()) as ReleaseStatusView;
  expect(result.stage).toBe('aborted');
  expect(result.accounts['early-1']).toMatchObject({ outcome: 'reverted', version: '2026.46.0' });
  expect(result.accounts['early-2']).toMatchObject({ outcome: 'reverted', version: '2026.46.0' });
  expect(result.accounts['late-1'].outcome).toBe('not-released');
  // Reverted within the freeze, not after it.
  expect(Date.parse(result.finishedAt!)).toBeLessThan(day1 + 2 * HOUR);
  expect(result.freeze?.waitingOn).toBeUndefined();
});
