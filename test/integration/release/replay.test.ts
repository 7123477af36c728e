/**
 * Saved histories of `stagedRelease` (binary protobuf in test/fixtures/release/histories) replay
 * against today's workflow code: a change that would break running releases fails here. Record
 * again on purpose with `npm run record:histories -- release:<name>` (test/fixtures/release/record-histories.ts:
 * happy-path, day-2-patch, notified-day-2-patch, notified-continue-as-new-run-1/2, pause-and-resume,
 * abort-without-rollback, freeze-wait-and-override, wave-0-failed-then-patched, continue-as-new-run-1/2) or
 *   SAVE_RELEASE_HISTORY=1 npx jest test/integration/release/schedule.timeskipping.test.ts -t "worker stopped"
 *   SAVE_RELEASE_HISTORY=1 npx jest test/integration/release/abort-rollback.devserver.test.ts -t "after its promotion"
 */
import path from 'node:path';
import { recordedHistories, replayRecordedHistory } from '../../harness/replay';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'release', 'histories');
const files = recordedHistories(HISTORIES);

test('there are saved release histories to replay', () => {
  expect(files).toEqual(
    expect.arrayContaining(['issue-while-worker-down-then-resume.history.bin', 'reconciled-and-reverted.history.bin']),
  );
  // Recorded by test/fixtures/record-before-ranges.ts with the code before the input ranges: its
  // strategy (a 300 ms watch) is out of range now, and the release must still replay.
  expect(files).toContain('watch-300ms-before-ranges.history.bin');
  // Every path of a release (test/fixtures/release/record-histories.ts).
  expect(files).toEqual(
    expect.arrayContaining(
      [
        'happy-path',
        'day-2-patch',
        'pause-and-resume',
        'abort-without-rollback',
        'freeze-wait-and-override',
        'continue-as-new-run-1',
        'continue-as-new-run-2',
        // A release that notifies a sink, whose first deliveries fail (recorded with notifications).
        'notified-day-2-patch',
        // Its outbox carried by continue-as-new: both runs.
        'notified-continue-as-new-run-1',
        'notified-continue-as-new-run-2',
      ].map((name) => `${name}.history.bin`),
    ),
  );
});

test.each(files)('saved release history %s replays without non-determinism', (file) =>
  replayRecordedHistory(HISTORIES, file),
);
