/**
 * Replays saved histories of real swaps (binary protobuf in test/fixtures/deployment/histories, recorded by
 * test/fixtures/deployment/record-histories.ts) against today's workflow code: a change that would
 * break running swaps (a non-deterministic edit) fails here. `watch-500ms-before-ranges` was recorded
 * by test/fixtures/record-before-ranges.ts with the code before the input ranges: its input (a
 * half-second watch) is out of range now, and the swap must still replay.
 *
 * `watch-outage-rolled-back-by-attempts` was recorded by the code before retry-by-time: its watch ran
 * out of attempts during a 5 s fleet outage and the swap rolled back. Today's code retries such a
 * fault by time; the `retry-by-time` patch keeps that history replaying as it ran.
 * `major-with-maintenance`: a major upgrade inside its open window (maintenance on, migration, off).
 * `watch-stalled-then-promoted` was recorded by today's code: the fleet was cut off for 8 s during a
 * 3 s watch with `faults.stallAfter` 2 s, so the watch stalled (patch marker, stall, a new call
 * going on from the heartbeat details), recovered and the swap promoted.
 * `promoted-local-calls` and `watch-rollback-local-calls` were recorded with the quick fleet calls
 * as local activities (patch `local-fleet-calls`); every history before them ran each call as an
 * activity task and must replay that way. `provision-stalled-local-calls` was recorded by the code of
 * cdd5bb9, before the swap's plumbing (untilThrough, step, check) was chained instead of async: the
 * fleet was cut off for 8 s as the swap provisioned green, and the provision, a local activity, was
 * tried 6 times over two workflow tasks before it got through.
 */
import path from 'node:path';
import { recordedHistories, replayRecordedHistory } from '../../harness/replay';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'deployment', 'histories');

describe('blueGreenDeployment replays its recorded histories', () => {
  const files = recordedHistories(HISTORIES);

  it('has recorded histories of every path worth replaying', () => {
    expect(files).toEqual([
      'cancelled-mid-swap.history.bin',
      'inconclusive-approved.history.bin',
      'major-with-maintenance.history.bin',
      'promoted-local-calls.history.bin',
      'promoted.history.bin',
      'provision-stalled-local-calls.history.bin',
      'revert.history.bin',
      'waited-for-account.history.bin',
      'watch-500ms-before-ranges.history.bin',
      'watch-outage-rolled-back-by-attempts.history.bin',
      'watch-rollback-local-calls.history.bin',
      'watch-rollback.history.bin',
      'watch-stalled-then-promoted.history.bin',
    ]);
  });

  it.each(files)('%s replays without non-determinism', (file) => replayRecordedHistory(HISTORIES, file));
});
