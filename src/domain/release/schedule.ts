/** The release calendar: Day 1 at startAt, Day 2 one stage later, Day 3 two stages later. */
export interface ReleaseSchedule {
  /** Day 1 (epoch ms). */
  startAt: number;
  stageLength: number;
}

export interface ScheduleMarks {
  day1: number;
  day2: number;
  day3: number;
}

export function scheduleMarks(schedule: ReleaseSchedule): ScheduleMarks {
  return {
    day1: schedule.startAt,
    day2: schedule.startAt + schedule.stageLength,
    day3: schedule.startAt + 2 * schedule.stageLength,
  };
}

/**
 * When wave 2 may begin: the Day-3 mark, and never before the last wave-1 deployment has baked
 * for a full stage (a late wave 1 or a patched wave 1 pushes Day 3 back).
 */
export function waveTwoNotBefore(schedule: ReleaseSchedule, lastWaveOneFinishedAt: number | undefined): number {
  const day3 = scheduleMarks(schedule).day3;
  return lastWaveOneFinishedAt === undefined ? day3 : Math.max(day3, lastWaveOneFinishedAt + schedule.stageLength);
}

/** Milliseconds from now until `at`, never negative. */
export function msUntil(at: number, now: number): number {
  return Math.max(0, at - now);
}

/** The schedule of a release from its input: the ISO `startAt` read once, here, or the release's own start. */
export function scheduleFromInput(
  input: { startAt?: string; stageLength: number },
  startedAt: number,
): ReleaseSchedule {
  return { startAt: input.startAt ? Date.parse(input.startAt) : startedAt, stageLength: input.stageLength };
}
