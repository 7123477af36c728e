/**
 * Typed client side of the weekly release train: create or update the Temporal Schedule
 * `release-train` that fires `releaseTrain` (idempotent, so `npm start` and `npm run train --
 * apply` may run it any number of times), describe it, and reach a firing's train run.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleUpdateOptions,
  type WorkflowHandle,
} from '@temporalio/client';
import type { TrainCalendar } from '../domain/train/calendar';
import { RELEASE_TRAIN_SCHEDULE_ID, RELEASE_TRAIN_WORKFLOW_ID, type ReleaseTrainInput } from '../domain/train/input';
import { releaseTrain } from '../workflows/train';

export const scheduleId = RELEASE_TRAIN_SCHEDULE_ID;
export const workflowType = releaseTrain.name;

export interface ApplyScheduleOptions {
  taskQueue: string;
  calendar: TrainCalendar;
  /** Default `release-train`. */
  scheduleId?: string;
}

/** What a firing runs and when: the calendar's Day 1 in its time zone; a firing never overlaps a train still running. */
export function scheduleOptions(options: ApplyScheduleOptions) {
  const { calendar, taskQueue } = options;
  const input: ReleaseTrainInput = { stageLength: calendar.stageLength };
  return {
    scheduleId: options.scheduleId ?? RELEASE_TRAIN_SCHEDULE_ID,
    spec: {
      calendars: [
        {
          dayOfWeek: calendar.day1.weekday.toUpperCase() as Uppercase<typeof calendar.day1.weekday>,
          hour: calendar.day1.hour,
          minute: calendar.day1.minute,
        },
      ],
      timezone: calendar.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: releaseTrain,
      workflowId: RELEASE_TRAIN_WORKFLOW_ID,
      taskQueue,
      args: [input] as [ReleaseTrainInput],
    },
    policies: {
      // A train waits for its release's three days; the next week's firing is skipped while it runs.
      overlap: ScheduleOverlapPolicy.SKIP,
      // A firing missed while the cluster was down is taken when it is back within a day.
      catchupWindow: '1 day',
    },
  } satisfies ScheduleOptions;
}

/**
 * Creates the schedule, or updates its calendar, action and policies when it exists; its state
 * (paused, and why) is kept, so re-applying never unpauses a train on-call paused.
 */
export async function applySchedule(
  client: Client,
  options: ApplyScheduleOptions,
): Promise<{ handle: ScheduleHandle; created: boolean }> {
  const wanted = scheduleOptions(options);
  try {
    const handle = await client.schedule.create(wanted);
    return { handle, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(wanted.scheduleId);
  await handle.update((previous: ScheduleDescription): ScheduleUpdateOptions => ({
    ...previous,
    spec: wanted.spec,
    action: wanted.action,
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return { handle, created: false };
}

export function describeSchedule(client: Client, id: string = RELEASE_TRAIN_SCHEDULE_ID): Promise<ScheduleDescription> {
  return client.schedule.getHandle(id).describe();
}

export type TrainHandle = WorkflowHandle<typeof releaseTrain>;

/** Starts one train run by hand (what a firing of the schedule starts), for tests and scripts. */
export function start(
  client: Client,
  input: ReleaseTrainInput,
  options: { taskQueue: string; workflowId?: string },
): Promise<TrainHandle> {
  return client.workflow.start(releaseTrain, {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId ?? RELEASE_TRAIN_WORKFLOW_ID,
    args: [input],
  });
}

/** The latest train run a firing started: the schedule names each run `release-train-<firing time>`. */
export async function latestRun(
  client: Client,
  id: string = RELEASE_TRAIN_SCHEDULE_ID,
): Promise<TrainHandle | undefined> {
  const { info } = await describeSchedule(client, id);
  const latest = info.recentActions.at(-1);
  return latest ? client.workflow.getHandle<typeof releaseTrain>(latest.action.workflow.workflowId) : undefined;
}
