import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createNotifyActivities } from '../../../src/activities/notify';
import type { ReleaseNotification } from '../../../src/domain/notify/notification';
import type { DeliveryBatch, SinkName, SinkReport } from '../../../src/domain/notify/outbox';
import { createLogger } from '../../../src/logging/logger';
import { NotificationInbox, INBOX_LIMIT } from '../../../src/notify/inbox';
import { SinkDown, type NotificationSink } from '../../../src/notify/sink';

const notification = (seq: number): ReleaseNotification => ({
  id: `2026-47/${seq}`,
  seq,
  type: 'paused',
  releaseId: '2026-47',
  version: '2026.47.0',
  at: '2026-11-23T09:00:00.000Z',
  text: `paused ${seq}`,
  details: {},
});

/** A sink that records what it got and fails from the `failAt`-th seq on. */
function recordingSink(name: SinkName, failAt = Infinity): NotificationSink & { got: number[] } {
  const got: number[] = [];
  return {
    name,
    target: name,
    got,
    async deliver(n) {
      if (n.seq >= failAt) throw new SinkDown(`HTTP 503 from ${name}`);
      got.push(n.seq);
    },
  };
}

describe('delivering a batch of notifications', () => {
  const mock = new MockActivityEnvironment(
    { activityType: 'deliverNotifications' },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  const logger = createLogger('silent');
  const batch = (after: Partial<Record<SinkName, number>>): DeliveryBatch => ({
    releaseId: '2026-47',
    notifications: [3, 5, 8].map(notification),
    after,
  });

  it('gives each sink, in order, what it has not had, and stops a sink at its first failure without holding the others', async () => {
    const webhook = recordingSink('webhook', 8);
    const inbox = recordingSink('inbox');
    const { deliverNotifications } = createNotifyActivities({ sinks: [webhook, inbox], logger });
    const reports = await mock.run(deliverNotifications, batch({ webhook: 0, inbox: 3 }));
    expect(webhook.got).toEqual([3, 5]);
    expect(inbox.got).toEqual([5, 8]);
    expect(reports).toEqual([
      { sink: 'webhook', deliveredThrough: 5, error: 'HTTP 503 from webhook' },
      { sink: 'inbox', deliveredThrough: 8 },
    ]);
  });

  it('reports a sink the release chose that this worker does not have, instead of throwing', async () => {
    const { deliverNotifications, notificationSinks } = createNotifyActivities({ sinks: [], logger });
    expect(await mock.run(notificationSinks, { releaseId: '2026-47' })).toEqual([]);
    const [report] = (await mock.run(deliverNotifications, batch({ slack: 0 }))) as SinkReport[];
    expect(report).toMatchObject({ sink: 'slack', deliveredThrough: 0, error: expect.stringMatching(/no slack sink/) });
  });
});

describe('the local inbox', () => {
  it('keeps each id once, newest first, and the newest INBOX_LIMIT', async () => {
    const inbox = new NotificationInbox();
    const sink = inbox.sink();
    await sink.deliver(notification(1));
    await sink.deliver(notification(2));
    await sink.deliver(notification(1));
    expect(inbox.list().map((e) => e.notification.seq)).toEqual([2, 1]);
    for (let seq = 3; seq <= INBOX_LIMIT + 10; seq++) inbox.add(notification(seq));
    expect(inbox.list()).toHaveLength(INBOX_LIMIT);
    expect(inbox.list()[INBOX_LIMIT - 1].notification.seq).toBe(11);
    inbox.add(notification(1));
    expect(inbox.list()[0].notification.seq).toBe(1);
  });
});
