/**
 * Replays saved histories of real swaps (binary protobuf in test/fixtures/deployment/histories, recorded by
 * test/fixtures/deployment/record-histories.ts) against today's workflow code: a change that would
 * break running swaps (a non-deterministic edit) fails here.
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
      'watch-rollback.history.bin',
    ]);
  });

  it.each(files)('%s replays without non-determinism', (file) => replayRecordedHistory(HISTORIES, file));
});
