/**
 * Freeze windows: the release reads the worker's freeze calendar (an activity: workflows do no
 * I/O) at planning and again before each wave, so a freeze added during a long release is
 * honoured. Retried by time: a calendar file that cannot be read is waited for (the worker logs
 * why), never a reason to fail the release. Guarded by its patch: releases recorded before freeze
 * windows replay without reading it, and without a calendar nothing is frozen.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import { freezeCalendarRead } from '../../domain/release/freezes';
import type { ReleaseRun } from './release-run';

export const FREEZE_WINDOWS_PATCH = 'freeze-windows';

const { readFreezeCalendar } = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
  summary: 'read the freeze calendar',
});

export async function readFreezes(run: ReleaseRun): Promise<void> {
  if (!patched(FREEZE_WINDOWS_PATCH)) return;
  const calendar = await readFreezeCalendar({ releaseId: run.status.releaseId });
  run.apply((status, now) => freezeCalendarRead(status, calendar, now));
}
