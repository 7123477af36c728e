/**
 * Delivering a release's notifications: each sink gets the batch's notifications after its own
 * cursor, one by one in order, and stops at its first failure; sinks go in parallel, so one down
 * holds no other back. A sink's failure is reported, not thrown (the workflow retries by time and
 * shows it); only a lost worker makes Temporal retry the activity, which may send a notification
 * again: receivers dedupe on its id.
 */
import { activityInfo } from '@temporalio/activity';
import type { NotifyActivities } from '../../domain/notify/activities';
import type { DeliveryBatch, SinkName, SinkReport } from '../../domain/notify/outbox';
import type { Logger } from '../../logging/logger';
import type { NotificationSink } from '../../notify/sink';
import { heartbeating } from '../deployment/support';

export interface NotifyDeps {
  sinks: readonly NotificationSink[];
  logger: Logger;
}

export function createNotifyActivities({ sinks, logger }: NotifyDeps): NotifyActivities {
  const byName = new Map<SinkName, NotificationSink>(sinks.map((sink) => [sink.name, sink]));
  return {
    async notificationSinks() {
      return sinks.map((sink) => sink.name);
    },

    async deliverNotifications(batch: DeliveryBatch): Promise<SinkReport[]> {
      const log = logger.child({ releaseId: batch.releaseId, attempt: activityInfo().attempt });
      return heartbeating(() =>
        Promise.all(
          (Object.keys(batch.after) as SinkName[]).map((name) =>
            deliverTo(name, byName.get(name), batch, log.child({ sink: name })),
          ),
        ),
      );
    },
  };
}

async function deliverTo(
  name: SinkName,
  sink: NotificationSink | undefined,
  batch: DeliveryBatch,
  log: Logger,
): Promise<SinkReport> {
  let through = batch.after[name] ?? 0;
  const owed = batch.notifications.filter((n) => n.seq > through);
  if (owed.length === 0) return { sink: name, deliveredThrough: through };
  if (!sink) {
    const error = `this worker has no ${name} sink configured (the release chose its sinks when it started)`;
    log.warn({ owed: owed.length }, error);
    return { sink: name, deliveredThrough: through, error };
  }
  for (const notification of owed) {
    try {
      await sink.deliver(notification);
    } catch (error) {
      const message = (error as Error).message;
      log.warn(
        { id: notification.id, type: notification.type, target: sink.target, err: message },
        'notification not delivered',
      );
      return { sink: name, deliveredThrough: through, error: message };
    }
    through = notification.seq;
    log.debug(
      { id: notification.id, type: notification.type, version: notification.version },
      'notification delivered',
    );
  }
  return { sink: name, deliveredThrough: through };
}
