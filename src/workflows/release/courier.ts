/**
 * The courier of a release's notifications: a coroutine beside the runbook that takes the outbox
 * in the status (src/domain/notify/outbox.ts) to the sinks, in order and in batches, through the
 * `deliverNotifications` activity. A sink that is down is retried by time (never given up on: it
 * is infrastructure, not a verdict) and shows in the status as undelivered; nothing the release
 * does waits for it, except the bounded wait at its end (drain).
 */
import { condition, isCancellation, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { NotifyActivities } from '../../domain/notify/activities';
import { deliveryFailed, nextBatch, outboxEmpty, type SinkReport } from '../../domain/notify/outbox';
import { deliveryRecorded, notifySinks } from '../../domain/notify/transitions';
import type { ReleaseStatus } from '../../domain/release/status';
import type { Change } from './release-run';

/** Releases recorded before notifications existed replay without them. */
export const NOTIFY_PATCH = 'release-notifications';

/** How long a finished release waits for its outbox to drain before it closes (README, "Notifications"). */
export const DRAIN_TIMEOUT_MS = 5 * 60_000;
/** Waits between deliveries while a sink fails: doubling from the first to the last. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 20_000;

const lookUp = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '10 seconds' },
  summary: 'which notification sinks does the worker have?',
});
/** A lost worker is retried by Temporal; a sink's own failures come back as reports. */
const delivery = proxyActivities<NotifyActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds' },
});

/** What the courier needs of the release. */
export interface CourierHost {
  readonly status: ReleaseStatus;
  apply(change: Change): unknown;
}

/**
 * A new release asks the worker for its sinks (once, when it starts; recorded in its history and
 * carried by continue-as-new). With none, nothing is queued and no delivery is ever made.
 */
export async function chooseSinks(host: CourierHost): Promise<void> {
  if (!patched(NOTIFY_PATCH)) return;
  const sinks = await lookUp.notificationSinks({ releaseId: host.status.releaseId });
  host.apply((status) => notifySinks(status, sinks));
}

export class NotificationCourier {
  private delivering = false;

  constructor(private readonly host: CourierHost) {}

  /** Runs until the workflow ends; never throws (but for cancellation of the workflow). */
  async run(): Promise<void> {
    let pause = RETRY_FIRST_MS;
    for (;;) {
      await condition(() => !outboxEmpty(this.host.status.notify));
      const reports = await this.deliverNext();
      this.host.apply((status, now) => deliveryRecorded(status, reports, now));
      if (!deliveryFailed(reports)) {
        pause = RETRY_FIRST_MS;
        continue;
      }
      await sleep(pause);
      pause = Math.min(pause * 2, RETRY_MAX_MS);
    }
  }

  /** Waits up to DRAIN_TIMEOUT_MS for every notification to be delivered; false when some are not. */
  drain(): Promise<boolean> {
    return condition(() => outboxEmpty(this.host.status.notify), DRAIN_TIMEOUT_MS);
  }

  /** Waits (boundedly) for a delivery in flight, so a new run does not send its batch again. */
  async settle(): Promise<void> {
    if (this.delivering) await condition(() => !this.delivering, '2 minutes');
  }

  private async deliverNext(): Promise<SinkReport[]> {
    const status = this.host.status;
    const batch = nextBatch(status.notify, status.releaseId)!;
    const last = batch.notifications[batch.notifications.length - 1];
    this.delivering = true;
    try {
      return await delivery.deliverNotifications.executeWithOptions(
        { summary: `notify ${batch.notifications.length} event(s) up to ${last.type} (${last.id})` },
        [batch],
      );
    } catch (error) {
      if (isCancellation(error)) throw error;
      const message =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      return (status.notify?.sinks ?? []).map((sink) => ({
        sink,
        deliveredThrough: status.notify?.delivered[sink] ?? 0,
        error: message,
      }));
    } finally {
      this.delivering = false;
    }
  }
}
