/**
 * A major release over accounts whose maintenance windows are a week apart, on the time-skipping
 * server with the scripted stand-in swap: every window announced 7 days ahead, each swap inside its
 * window, a window moved in the registry picked up, and accounts with no usable window named at
 * planning and left out at the end.
 */
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { releases } from '../../../src/client';
import type { RegistryAccount } from '../../../src/domain/release/waves';
import type { NotifyActivities } from '../../../src/domain/notify/activities';
import type { ReleaseNotification } from '../../../src/domain/notify/notification';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { mockReleaseActivities } from '../../fixtures/release/accounts';
import { waitFor } from '../../harness/wait';
import { swapStarts } from '../../support/history';

const FIXTURE_WORKFLOWS = path.join(__dirname, '..', '..', 'fixtures', 'release', 'workflows.ts');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
let worker: TestWorker;
/** The registry the release reads (at planning and while its waves wait for windows); the test moves a window. */
const registry: RegistryAccount[] = [];
/** What the release's inbox sink received, in order. */
const received: ReleaseNotification[] = [];
const inbox: NotifyActivities = {
  async notificationSinks() {
    return ['inbox'];
  },
  async deliverNotifications(batch) {
    const after = batch.after.inbox ?? 0;
    received.push(...batch.notifications.filter((n) => n.seq > after));
    return [{ sink: 'inbox', deliveredThrough: batch.notifications.at(-1)?.seq ?? after }];
  },
};

beforeAll(async () => {
  env = await startTimeSkipping();
  worker = await startTestWorker(env, {
    workflowsPath: FIXTURE_WORKFLOWS,
    activities: mockReleaseActivities(registry, { notify: inbox }),
  });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

test('a major release: windows a week apart, each announced 7 days ahead, each swap inside its window', async () => {
  const t0 = await env.currentTimeMs();
  const window = (fromDays: number) => ({ start: t0 + fromDays * DAY, end: t0 + fromDays * DAY + 4 * HOUR });
  registry.push(
    { accountId: 'early-w', earlyAccess: true, maintenanceWindow: window(8) },
    { accountId: 'early-soon', earlyAccess: true, maintenanceWindow: window(2) },
    { accountId: 'late-w1', earlyAccess: false, maintenanceWindow: window(15) },
    { accountId: 'late-w2', earlyAccess: false, maintenanceWindow: window(22) },
    { accountId: 'late-none', earlyAccess: false },
  );
  const handle = await releases.start(
    env.client,
    { releaseId: 'major-1', version: '2027.1.0', kind: 'major' },
    { taskQueue: worker.taskQueue },
  );
  const planned = await waitFor(
    'the windows to be announced',
    async () => {
      const page = await releases.plan(handle);
      return page.accounts.length === 5 && page.accounts.some((a) => a.blocked) ? page : undefined;
    },
    30_000,
    50,
  );
  const byId = new Map(planned.accounts.map((account) => [account.accountId, account]));
  expect(byId.get('early-w')!.startsAt).toBe(window(8).start);
  expect(byId.get('late-w1')!.startsAt).toBe(window(15).start);
  expect(byId.get('early-soon')!.blocked).toBe('no maintenance window announced');
  expect(byId.get('late-none')!.blocked).toBe('no maintenance window announced');

  // Before late-w2's window opens, its window moves two days later in the registry.
  await env.sleep(16 * DAY);
  registry[3] = { ...registry[3], maintenanceWindow: window(24) };
  const result = await handle.result();
  expect(result.stage).toBe('completed');

  const starts = await swapStarts(handle);
  expect([...starts.keys()].sort()).toEqual(['early-w', 'late-w1', 'late-w2']);
  for (const [accountId, days] of [
    ['early-w', 8],
    ['late-w1', 15],
    ['late-w2', 24],
  ] as const) {
    const at = starts.get(accountId)!;
    expect(at).toBeGreaterThanOrEqual(window(days).start);
    expect(at).toBeLessThan(window(days).end);
  }
  const status = await releases.status(handle);
  const timeline = status.timeline.map((entry) => `${entry.event}: ${entry.detail ?? ''}`);
  // Every window was announced when the release was planned, at least 7 days before its swap.
  const announced = (accountId: string, again = false) =>
    status.timeline.find((entry) => entry.event === `${accountId} maintenance ${again ? 're-announced' : 'announced'}`);
  for (const accountId of ['early-w', 'late-w1', 'late-w2']) {
    const at = Date.parse(announced(accountId)!.at);
    expect(starts.get(accountId)! - at).toBeGreaterThanOrEqual(7 * DAY);
  }
  expect(Date.parse(announced('late-w2', true)!.at)).toBeLessThan(window(22).start);
  expect(timeline).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /^early-soon needs a maintenance window: its window .* closes before the 7 days announcement/,
      ),
      'late-none needs a maintenance window: it has no maintenance window',
      '2 account(s) not released: no usable maintenance window: early-soon, late-none',
    ]),
  );
  expect(result.accounts['late-none']).toMatchObject({
    outcome: 'not-released',
    reason: 'needs a maintenance window: it has no maintenance window',
  });
  expect(result.accounts['late-w2'].outcome).toBe('promoted');

  // Each announcement, and each account's maintenance starting and finishing, went out as a notification.
  await waitFor(
    'every notification delivered',
    async () => (received.some((n) => n.type === 'completed') ? true : undefined),
    30_000,
  );
  const ofType = (type: string) => received.filter((n) => n.type === type).map((n) => n.details.accountId);
  expect(ofType('maintenance-announced')).toEqual(['early-w', 'early-soon', 'late-w1', 'late-w2', 'late-w2']);
  expect(ofType('maintenance-needs-window').sort()).toEqual(['early-soon', 'late-none']);
  expect(ofType('maintenance-starting')).toEqual(['early-w', 'late-w1', 'late-w2']);
  expect(ofType('maintenance-finished')).toEqual(['early-w', 'late-w1', 'late-w2']);
  const firstAnnounced = received.find((n) => n.type === 'maintenance-announced' && n.details.accountId === 'late-w1')!;
  const started = received.find((n) => n.type === 'maintenance-starting' && n.details.accountId === 'late-w1')!;
  expect(Date.parse(started.at) - Date.parse(firstAnnounced.at)).toBeGreaterThanOrEqual(7 * DAY);
});
