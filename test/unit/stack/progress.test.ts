import { countAccounts, progressLine, ReleaseProgress, type ProgressSnapshot } from '../../../src/dev-stack/progress';

const snapshot = (stage: string, states: Array<[string, string?]>, day: number | null = 1): ProgressSnapshot => ({
  stage,
  day,
  accounts: Object.fromEntries(states.map(([state, outcome], i) => [`a${i}`, { state, outcome }])),
});

const ESC = String.fromCharCode(27);
/** Back to the line's start, erase it. */
const CLEAR = `\r${ESC}[2K`;

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (text: string) => chunks.push(text) }, chunks };
}

describe('npm run demo progress', () => {
  it('counts the accounts by state, and the finished ones by outcome', () => {
    const s = snapshot('wave-1', [
      ['pending'],
      ['deploying'],
      ['done', 'promoted'],
      ['done', 'rolled-back'],
      ['done', 'promoted'],
    ]);
    expect(countAccounts(s.accounts)).toEqual([
      ['pending', 1],
      ['deploying', 1],
      ['promoted', 2],
      ['rolled-back', 1],
    ]);
    expect(progressLine(s)).toMatch(
      /^wave-1 +day 1 +5 accounts: 1 pending · 1 deploying · 2 promoted · 1 rolled-back$/,
    );
  });

  it('on a terminal: one line per stage, rewritten in place while its counts change', () => {
    const { out, chunks } = capture(true);
    const progress = new ReleaseProgress(out, {});
    progress.update(snapshot('wave-1', [['pending'], ['deploying']]));
    progress.update(snapshot('wave-1', [['pending'], ['deploying']])); // unchanged: nothing written
    progress.update(snapshot('wave-1', [['pending'], ['done', 'promoted']]));
    progress.update(snapshot('bake', [['pending'], ['done', 'promoted']]));
    progress.log('  12:00:01  stage bake');
    progress.done();
    expect(chunks).toHaveLength(5);
    expect(chunks[0]).toMatch(/^ {2}▸ wave-1 .*1 deploying$/);
    expect(chunks[1].startsWith(`${CLEAR}  ▸ wave-1 `)).toBe(true); // same stage: in place
    expect(chunks[1]).toMatch(/1 promoted$/);
    expect(chunks[2]).toMatch(/^\n {2}▸ bake /); // new stage: the wave-1 line stays
    expect(chunks[3].startsWith(`${CLEAR}  12:00:01  stage bake\n  ▸ bake `)).toBe(true); // log above, progress redrawn
    expect(chunks[4]).toBe('\n');
  });

  it('without a terminal, or under CI: plain lines, one per change', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
    ] as const) {
      const { out, chunks } = capture(isTTY);
      const progress = new ReleaseProgress(out, env);
      progress.update(snapshot('wave-1', [['pending'], ['deploying']]));
      progress.update(snapshot('wave-1', [['pending'], ['deploying']]));
      progress.update(snapshot('wave-1', [['done', 'promoted'], ['deploying']]));
      progress.log('event');
      progress.done();
      expect(chunks.join('')).not.toContain('\r');
      expect(chunks.join('')).not.toContain(ESC);
      expect(chunks.join('').split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/▸ wave-1 .*1 pending · 1 deploying$/),
        expect.stringMatching(/▸ wave-1 .*1 deploying · 1 promoted$/),
        'event',
      ]);
    }
  });
});
