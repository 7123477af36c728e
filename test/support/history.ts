/**
 * Reading a workflow's history in tests, to assert that something did NOT happen without a fixed
 * sleep: wait for the event that proves the workflow took an input in (a workflow task completed
 * after it), then look at what that task recorded. Whatever a workflow decides on an event is
 * written in the same batch as the task's completion, so nothing later can still be "on its way".
 */
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { waitFor } from '../harness/wait';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const eventId = (event: HistoryEvent) => Number(event.eventId ?? 0);

/**
 * Activity types in the order the workflow called them: activity tasks as scheduled, local
 * activities as recorded once they completed (their marker; a failed attempt waiting for its
 * retry is a marker with a failure, not counted).
 */
export function scheduledActivities(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    const task = e.activityTaskScheduledEventAttributes;
    if (task) return [task.activityType?.name ?? ''];
    const local = localActivityOf(e);
    return local && !local.failed ? [local.activityType] : [];
  });
}

/** The marker core records for a local activity: `data` holds its type, `failure` a failed attempt. */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

function localActivityOf(event: HistoryEvent): { activityType: string; failed: boolean } | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const data = marker.details?.data?.payloads?.[0];
  const parsed = data ? (defaultPayloadConverter.fromPayload(data as Payload) as { activity_type?: string }) : {};
  return { activityType: parsed.activity_type ?? '', failed: !!marker.failure };
}

/** The event that completed the last run of an activity of this type (undefined while none completed). */
export function lastActivityCompletion(events: HistoryEvent[], activityType: string): HistoryEvent | undefined {
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
      .map((e) => eventId(e)),
  );
  const completions = events.filter((e) =>
    scheduled.has(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? -1)),
  );
  return completions.at(-1);
}

/** True once the workflow completed a workflow task after `event`: its decision on that event is recorded. */
export function decidedAfter(events: HistoryEvent[], event: HistoryEvent): boolean {
  return events.some((e) => e.workflowTaskCompletedEventAttributes && eventId(e) > eventId(event));
}

/**
 * Waits until the workflow has taken in the result of an activity of this type and recorded what
 * it did about it; answers the history at that point.
 */
export function waitForDecisionOnActivity(
  handle: WorkflowHandle,
  activityType: string,
  timeoutMs = 60_000,
): Promise<HistoryEvent[]> {
  return waitFor(
    `the workflow to decide on the result of ${activityType}`,
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      const completed = lastActivityCompletion(events, activityType);
      return completed && decidedAfter(events, completed) ? events : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Waits until a running activity of this type has recorded a heartbeat: it runs on a worker. */
export async function waitForHeartbeat(
  handle: WorkflowHandle,
  activityType: string,
  timeoutMs = 60_000,
): Promise<void> {
  await waitFor(
    `a heartbeat of ${activityType}`,
    async () => {
      const { raw } = await handle.describe();
      const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activityType);
      return pending?.lastHeartbeatTime ? true : undefined;
    },
    timeoutMs,
    100,
  );
}

const FailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;
/**
 * Causes the server gives when a message arrived while a task was completing the workflow: the
 * server refuses that completion so the worker sees the message first. A race, not a fault of
 * workflow code; every other cause is.
 */
const SERVER_RACES = new Set<number>([
  FailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  FailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_UPDATE,
]);

/** Workflow task failures caused by workflow code (an exception, a command the server refused), with their messages. */
export function workflowTaskFailures(events: HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    const failed = event.workflowTaskFailedEventAttributes;
    if (!failed || SERVER_RACES.has(Number(failed.cause ?? 0))) return [];
    return [`${FailedCause[Number(failed.cause ?? 0)]}: ${failed.failure?.message ?? ''}`];
  });
}

/** The event that closed the run, if it is closed. */
export function closingEvent(events: HistoryEvent[]): HistoryEvent | undefined {
  return events.find(
    (e) =>
      e.workflowExecutionCompletedEventAttributes ||
      e.workflowExecutionFailedEventAttributes ||
      e.workflowExecutionCanceledEventAttributes ||
      e.workflowExecutionTerminatedEventAttributes ||
      e.workflowExecutionContinuedAsNewEventAttributes ||
      e.workflowExecutionTimedOutEventAttributes,
  );
}

/** Waits until the run is closed or a workflow task has failed; answers its history then. */
export function waitForCloseOrTaskFailure(handle: WorkflowHandle, timeoutMs = 60_000): Promise<HistoryEvent[]> {
  return waitFor(
    'the workflow to close or a workflow task to fail',
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      return closingEvent(events) || workflowTaskFailures(events).length ? events : undefined;
    },
    timeoutMs,
    100,
  );
}

const seconds = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  time ? Number(time.seconds ?? 0) + (time.nanos ?? 0) / 1e9 : 0;

/**
 * Waits until an attempt of this activity later than `after` has started on a worker and
 * heartbeated there (so killing that worker interrupts it); answers the attempt's number.
 */
export function waitForRunningAttempt(
  handle: WorkflowHandle,
  activityType: string,
  after = 0,
  timeoutMs = 60_000,
): Promise<number> {
  return waitFor(
    `an attempt of ${activityType} after attempt ${after} to run and heartbeat`,
    async () => {
      const { raw } = await handle.describe();
      const pending = raw.pendingActivities?.find((a) => a.activityType?.name === activityType);
      if (!pending || Number(pending.attempt ?? 0) <= after || !pending.lastStartedTime) return undefined;
      return seconds(pending.lastHeartbeatTime) >= seconds(pending.lastStartedTime)
        ? Number(pending.attempt)
        : undefined;
    },
    timeoutMs,
    100,
  );
}

/** When each account's swap (a child workflow `release-<id>/<account>/<version>`) started, from a release's history. */
export async function swapStarts(handle: WorkflowHandle): Promise<Map<string, number>> {
  const starts = new Map<string, number>();
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const started = event.childWorkflowExecutionStartedEventAttributes;
    if (!started?.workflowExecution?.workflowId || !event.eventTime) continue;
    const at = Number(event.eventTime.seconds ?? 0) * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6);
    starts.set(started.workflowExecution.workflowId.split('/')[1], at);
  }
  return starts;
}
