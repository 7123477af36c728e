/**
 * Replays saved histories of real swaps (binary protobuf in test/fixtures/deployment/histories, recorded by
 * test/fixtures/deployment/record-histories.ts) against today's workflow code: a change that would
 * break running swaps (a non-deterministic edit) fails here. `watch-500ms-before-ranges` was recorded
 * by test/fixtures/record-before-ranges.ts with the code before the input ranges: its input (a
 * half-second watch) is out of range now, and the swap must still replay.
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
      'promoted.history.bin',
      'revert.history.bin',
      'waited-for-account.history.bin',
      'watch-500ms-before-ranges.history.bin',
      'watch-rollback.history.bin',
    ]);
  });

  it.each(files)('%s replays without non-determinism', (file) => replayRecordedHistory(HISTORIES, file));
});
