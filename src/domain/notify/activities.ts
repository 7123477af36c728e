import type { DeliveryBatch, SinkName, SinkReport } from './outbox';

/** The activities a release's notifications use (implemented in src/activities/notify). */
export interface NotifyActivities {
  /** The sinks this worker is configured with; none: the release queues nothing. */
  notificationSinks(input: { releaseId: string }): Promise<SinkName[]>;
  /**
   * Delivers the batch to every sink, each in order from its own `after`, stopping a sink at its
   * first failure. A sink that is down is a report, never a thrown error: the workflow retries by time.
   */
  deliverNotifications(batch: DeliveryBatch): Promise<SinkReport[]>;
}
