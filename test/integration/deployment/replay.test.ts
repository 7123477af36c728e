/**
 * Replays saved histories of real swaps (binary protobuf in test/fixtures/deployment/histories, recorded by
 * test/fixtures/deployment/record-histories.ts) against today's workflow code: a change that would
 * break running swaps (a non-deterministic edit) fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { BUNDLE_ENV, MAIN_WORKFLOWS_PATH } from '../../harness/temporal';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'deployment', 'histories');

describe('blueGreenDeployment replays its recorded histories', () => {
  const files = fs.readdirSync(HISTORIES).filter((file) => file.endsWith('.history.bin')).sort();

  it('has recorded histories of every path worth replaying', () => {
    expect(files).toEqual(['cancelled-mid-swap.history.bin', 'inconclusive-approved.history.bin', 'promoted.history.bin', 'watch-rollback.history.bin']);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORIES, file)));
    const bundle = process.env[BUNDLE_ENV];
    await Worker.runReplayHistory(
      bundle && fs.existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : { workflowsPath: MAIN_WORKFLOWS_PATH },
      history,
      `replay-${file}`,
    );
  });
});
