/**
 * `npm test` runs two files at a time and ends with its last file: on a fresh clone (no recorded
 * durations) the files that declare the longest tests must start first, not the biggest files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongestFirstSequencer = require('../../harness/sequencer.js');

const REPO = path.join(__dirname, '..', '..', '..');

function testsOf(files: string[], cacheDirectory: string) {
  return files.map((file) => ({
    path: path.join(REPO, file),
    context: {
      config: { cacheDirectory, id: 'sequencer-test' },
      hasteFS: { getSize: (p: string) => fs.statSync(p).size },
    },
  }));
}

test('without recorded durations the files declaring the longest timeouts run first, whatever their size', () => {
  const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'sequencer-'));
  try {
    const files = [
      'test/unit/release/validation.test.ts',
      'test/integration/release/notifications.devserver.test.ts',
      'test/integration/chaos/chaos.test.ts',
      'test/integration/release/continue-as-new.devserver.test.ts',
    ];
    // The chaos file is the smallest of the integration files: jest alone would start it last of them.
    const sizes = files.map((file) => fs.statSync(path.join(REPO, file)).size);
    expect(sizes[2]).toBeLessThan(Math.min(sizes[1], sizes[3]));

    const order = new LongestFirstSequencer({ contexts: [] })
      .sort(testsOf(files, cacheDirectory))
      .map((test: { path: string }) => path.relative(REPO, test.path));

    expect(order).toEqual([
      'test/integration/chaos/chaos.test.ts', // 600_000
      'test/integration/release/continue-as-new.devserver.test.ts', // 420_000
      'test/integration/release/notifications.devserver.test.ts', // 240_000
      'test/unit/release/validation.test.ts', // none declared
    ]);
  } finally {
    fs.rmSync(cacheDirectory, { recursive: true, force: true });
  }
});
