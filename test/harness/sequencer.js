/**
 * jest runs two test files at a time; the run ends when its last file does, so the longest files
 * should start first. jest knows a file's duration only from an earlier run on the same checkout
 * (a fresh clone, as in CI, has none) and otherwise orders by file size, which would start the
 * chaos test (a short file, the longest run) last. Without a recorded duration, a file is ranked
 * by the longest per-test timeout it declares (`}, 600_000)`), then by size.
 */
const fs = require('node:fs');
const DefaultSequencer = require('@jest/test-sequencer').default;

const DECLARED_TIMEOUT = /\},\s*(\d[\d_]*)\s*\)/g;

function longestDeclaredTimeout(file) {
  let longest = 0;
  for (const match of fs.readFileSync(file, 'utf8').matchAll(DECLARED_TIMEOUT))
    longest = Math.max(longest, Number(match[1].replaceAll('_', '')));
  return longest;
}

class LongestFirstSequencer extends DefaultSequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const withoutDuration = sorted.filter((test) => test.duration == null);
    if (withoutDuration.length === 0) return sorted;
    const rank = new Map(withoutDuration.map((test) => [test.path, longestDeclaredTimeout(test.path)]));
    const ranked = [...withoutDuration].sort((a, b) => rank.get(b.path) - rank.get(a.path));
    // As jest does, files without a recorded duration go first; the others keep jest's order.
    return [...ranked, ...sorted.filter((test) => test.duration != null)];
  }
}

module.exports = LongestFirstSequencer;
