import type { Client } from '@temporalio/client';
import { train } from '../client';
import { describeDay1, type TrainCalendar } from '../domain/train/calendar';
import { formatDuration } from '../domain/primitives';
import type { Logger } from '../logging/logger';

/** Creates or updates the `release-train` schedule and says so in one log line. */
export async function applyTrainSchedule(
  client: Client,
  options: { taskQueue: string; calendar: TrainCalendar },
  logger: Logger,
): Promise<{ created: boolean }> {
  const { created } = await train.applySchedule(client, options);
  logger.info(
    {
      scheduleId: train.scheduleId,
      day1: describeDay1(options.calendar),
      stageLength: formatDuration(options.calendar.stageLength),
      taskQueue: options.taskQueue,
    },
    created ? 'release train schedule created' : 'release train schedule up to date',
  );
  return { created };
}
