/**
 * How a release's status carries its notifications: sinks chosen when it starts, notifications
 * queued from the events of every transition, deliveries recorded. None of these emits events.
 */
import type { ReleaseEvent } from '../release/events';
import { notesMarkdown } from '../release/notes';
import type { ReleaseStatus, Transition } from '../release/status';
import { newNotify, queueNotifications, recordDelivery, type SinkName, type SinkReport } from './outbox';

/** The release notifies these sinks from now on; with none it queues nothing. */
export function notifySinks(status: ReleaseStatus, sinks: readonly SinkName[]): Transition {
  const notify = newNotify(sinks);
  return { status: notify ? Object.assign({}, status, { notify }) : status, events: [] };
}

/** The status with the notifications of `events` in its outbox (unchanged when the release notifies no sink). */
export function queueNotificationsOf(status: ReleaseStatus, events: readonly ReleaseEvent[]): ReleaseStatus {
  if (!status.notify || events.length === 0) return status;
  const notify = queueNotifications(
    status.notify,
    {
      releaseId: status.releaseId,
      version: status.targetVersion,
      kind: status.kind,
      ...(events.some(withNotes) ? { notes: notesMarkdown(status) } : {}),
    },
    events,
  );
  return notify === status.notify ? status : Object.assign({}, status, { notify });
}

export function deliveryRecorded(status: ReleaseStatus, reports: readonly SinkReport[], now: number): Transition {
  if (!status.notify) return { status, events: [] };
  return { status: Object.assign({}, status, { notify: recordDelivery(status.notify, reports, now) }), events: [] };
}

/** The events whose notifications carry the release notes: the release started, and completed. */
function withNotes(event: ReleaseEvent): boolean {
  return (
    event.type === 'completed' ||
    (event.type === 'stage-entered' && event.stage === 'wave-1' && event.from === 'scheduled')
  );
}
