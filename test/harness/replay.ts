import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { BUNDLE_ENV, MAIN_WORKFLOWS_PATH } from './temporal';

/**
 * Recorded histories are binary protobuf: the Temporal packages each carry their own protobufjs,
 * and JSON histories fail to load across them ("type must be a Type").
 */
export function recordedHistories(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.history.bin'))
    .sort();
}

/** Replays one recorded history against today's workflow code; throws on non-determinism. */
export async function replayRecordedHistory(dir: string, file: string): Promise<void> {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file)));
  const bundle = process.env[BUNDLE_ENV];
  await Worker.runReplayHistory(
    bundle && fs.existsSync(bundle) ? { workflowBundle: { codePath: bundle } } : { workflowsPath: MAIN_WORKFLOWS_PATH },
    history,
    `replay-${file}`,
  );
}
