/**
 * `npm run train -- apply`: creates or updates the Temporal Schedule `release-train` on the cluster
 * the environment names (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS or API key), with the calendar
 * of RELEASE_TRAIN_DAY1, RELEASE_TRAIN_TIME_ZONE and RELEASE_TRAIN_STAGE_LENGTH.
 * `npm run train -- describe`: prints the schedule's calendar, state and next firings as JSON.
 */
import { connectFromEnv, train } from '../client';
import { readAppEnv, readTrainCalendar } from '../config/env';
import { createLogger } from '../logging/logger';
import { applyTrainSchedule } from './apply';

const USAGE = 'usage: npm run train -- apply | describe';

async function main(argv: string[]): Promise<void> {
  const command = argv[0];
  if (command !== 'apply' && command !== 'describe') throw new Error(USAGE);
  const env = readAppEnv();
  const calendar = readTrainCalendar();
  const connected = await connectFromEnv();
  try {
    if (command === 'apply') {
      await applyTrainSchedule(
        connected.client,
        { taskQueue: env.TEMPORAL_TASK_QUEUE, calendar },
        createLogger(env.LOG_LEVEL, 'release-train'),
      );
      return;
    }
    const description = await train.describeSchedule(connected.client);
    const summary = {
      scheduleId: description.scheduleId,
      calendars: description.spec.calendars,
      timezone: description.spec.timezone,
      paused: description.state.paused,
      note: description.state.note,
      overlap: description.policies.overlap,
      nextFirings: description.info.nextActionTimes.slice(0, 3).map((at) => at.toISOString()),
      recentFirings: description.info.recentActions.map((action) => ({
        scheduledAt: action.scheduledAt.toISOString(),
        workflowId: action.action.workflow.workflowId,
      })),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await connected.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`npm run train failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
