import { ConfigError, readTrainCalendar } from '../../../src/config/env';
import { describeDay1 } from '../../../src/domain/train/calendar';
import { train } from '../../../src/client';
import { RELEASE_TRAIN_WORKFLOW } from '../../../src/domain/train/input';

const DAY = 86_400_000;

describe('the release train calendar', () => {
  it('puts Day 1 on Tuesday 09:00 UTC with one-day stages by default', () => {
    const calendar = readTrainCalendar({});
    expect(calendar).toEqual({ day1: { weekday: 'tuesday', hour: 9, minute: 0 }, timeZone: 'UTC', stageLength: DAY });
    expect(describeDay1(calendar)).toBe('Tuesday 09:00 UTC');
  });

  it('reads the day, time, time zone and stage length from the environment', () => {
    const calendar = readTrainCalendar({
      RELEASE_TRAIN_DAY1: 'Monday 7:30',
      RELEASE_TRAIN_TIME_ZONE: 'Europe/Berlin',
      RELEASE_TRAIN_STAGE_LENGTH: '12 hours',
    });
    expect(calendar).toEqual({
      day1: { weekday: 'monday', hour: 7, minute: 30 },
      timeZone: 'Europe/Berlin',
      stageLength: DAY / 2,
    });
  });

  it('refuses a bad setting, naming the variable and what to write', () => {
    const read = () =>
      readTrainCalendar({
        RELEASE_TRAIN_DAY1: 'tuesday 25:00',
        RELEASE_TRAIN_TIME_ZONE: 'Mars/Olympus',
        RELEASE_TRAIN_STAGE_LENGTH: 'soon',
      });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      /RELEASE_TRAIN_DAY1: "tuesday 25:00" is not a weekday and time; write for example "tuesday 09:00"/,
    );
    expect(read).toThrow(/RELEASE_TRAIN_TIME_ZONE: is not an IANA time zone/);
    expect(read).toThrow(/RELEASE_TRAIN_STAGE_LENGTH: "soon" is not a duration/);
  });

  it('becomes a weekly calendar spec in its time zone that never overlaps a running train', () => {
    const options = train.scheduleOptions({ taskQueue: 'staged-release', calendar: readTrainCalendar({}) });
    expect(options.scheduleId).toBe('release-train');
    expect(options.spec).toEqual({ calendars: [{ dayOfWeek: 'TUESDAY', hour: 9, minute: 0 }], timezone: 'UTC' });
    expect(options.policies.overlap).toBe('SKIP');
    expect(options.action.workflowType.name).toBe(RELEASE_TRAIN_WORKFLOW);
    expect(train.workflowType).toBe(RELEASE_TRAIN_WORKFLOW);
    expect(options.action.taskQueue).toBe('staged-release');
    expect(options.action.args).toEqual([{ stageLength: DAY }]);
  });
});
