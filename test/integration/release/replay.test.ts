/**
 * Saved histories of `stagedRelease` (binary protobuf in test/fixtures/release/histories) replay
 * against today's workflow code: a change that would break running releases fails here. Record
 * again on purpose with
 *   SAVE_RELEASE_HISTORY=1 npx jest test/integration/release/schedule.timeskipping.test.ts -t "worker stopped"
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { BUNDLE_ENV, MAIN_WORKFLOWS_PATH } from '../../harness/temporal';

const HISTORIES = path.join(__dirname, '..', '..', 'fixtures', 'release', 'histories');
const files = fs.readdirSync(HISTORIES).filter((file) => file.endsWith('.history.bin')).sort();

test('there is a saved release history to replay', () => {
  expect(files).toContain('issue-while-worker-down-then-resume.history.bin');
});

test.each(files)('saved release history %s replays without non-determinism', async (file) => {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORIES, file)));
  const bundle = process.env[BUNDLE_ENV];
  await Worker.runReplayHistory(
    bundle && fs.existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : { workflowsPath: MAIN_WORKFLOWS_PATH },
    history,
    `replay-${file}`,
  );
});
