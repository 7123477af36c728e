/**
 * The `plan` query of a running release against what then happens: the real three-day schedule on
 * the time-skipping server, with the scripted stand-in swap (test/fixtures/release/workflows.ts).
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import type { PlannedAccount } from '../../../src/domain/plan/preview';
import { FreezeCalendarSchema, NO_FREEZES, type FreezeCalendar } from '../../../src/domain/freeze/calendar';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';
import { swapStarts } from '../../support/history';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The stand-in swap lasts `keepBlueWarm` ms; the plan estimates the watch, blue kept warm and fixed costs. */
const SWAP_MS = 10 * MINUTE;

let env: TestWorkflowEnvironment;
let worker: TestWorker;
/** The worker's freeze calendar (read by the release at planning and before each wave). */
let calendar: FreezeCalendar = NO_FREEZES;

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(fakeRegistry(['early-1', 'early-2', 'early-3'], ['acct-1', 'acct-2', 'acct-3']), {
      freezeCalendar: () => calendar,
    }),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

test('the plan of a running release says who gets the version when, and the release then does so', async () => {
  // Day 1 an hour ahead: the first plan sees every swap before it starts.
  const startAt = new Date((await env.currentTimeMs()) + 60 * MINUTE).toISOString();
  // A town hall freeze over the start of Day 3: wave 2 waits for its end, and the plan says so.
  const day3 = Date.parse(startAt) + 2 * DAY;
  const freezeEnd = day3 + 3 * 60 * MINUTE;
  calendar = FreezeCalendarSchema.parse({
    freezes: [
      {
        id: 'town-hall',
        name: 'town hall',
        start: new Date(day3 - MINUTE).toISOString(),
        end: new Date(freezeEnd).toISOString(),
      },
    ],
  });
  const handle = await releases.start(
    env.client,
    {
      releaseId: 'plan-1',
      version: '2026.48.0',
      schedule: { startAt },
      strategy: { concurrency: { wave1: 2, wave2: 2 }, watch: { duration: 1000 }, keepBlueWarm: SWAP_MS },
    },
    { taskQueue: worker.taskQueue },
  );
  const plan = await waitFor(
    'the release to plan its waves',
    async () => {
      // Once the release has its accounts and has read the freeze calendar.
      if (!(await releases.status(handle)).freeze?.calendarReadAt) return undefined;
      const page = await releases.plan(handle);
      return page.accounts.length === 6 ? page : undefined;
    },
    30_000,
    50,
  );
  expect(plan.waves.map((wave) => wave.accounts)).toEqual([0, 3, 3]);
  expect(plan.accountsMatching).toBe(6);
  const planned = new Map<string, PlannedAccount>(plan.accounts.map((account) => [account.accountId, account]));
  const day1 = plan.waves[1].scheduledAt!;
  expect(day1).toBe(Date.parse(startAt));
  expect(plan.waves[2].scheduledAt).toBe(day1 + 2 * DAY);
  // Two slots in wave 1: early-3 waits for one swap, and says so.
  expect(planned.get('early-3')!.delays?.map((delay) => delay.cause)).toEqual(['concurrency']);
  expect(planned.get('acct-1')!.startsAt).toBe(freezeEnd);
  expect(planned.get('acct-1')!.delays).toEqual([
    { cause: 'freeze', detail: `freeze "town hall" until ${new Date(freezeEnd).toISOString()}` },
  ]);
  expect(plan.waves[2].delays.map((delay) => delay.cause)).toEqual(['freeze']);

  const result = await handle.result();
  expect(result.stage).toBe('completed');
  const actual = await swapStarts(handle);
  expect([...actual.keys()].sort()).toEqual([...planned.keys()].sort());
  for (const [accountId, account] of planned) {
    const startedAt = actual.get(accountId)!;
    // Same stage of the release, and within a minute of the plan (the estimate is 16 s per swap long).
    expect(Math.floor((startedAt - day1) / DAY)).toBe(Math.floor((account.startsAt! - day1) / DAY));
    expect(Math.abs(startedAt - account.startsAt!)).toBeLessThan(MINUTE);
  }

  const after = await releases.plan(handle);
  expect(after.accounts.every((account) => account.state === 'done' && account.outcome === 'promoted')).toBe(true);
  expect(after.waves.map((wave) => wave.done)).toEqual([0, 3, 3]);
});
