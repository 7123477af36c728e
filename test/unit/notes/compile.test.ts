import {
  compareVersions,
  compileReleaseNotes,
  versionsBetween,
  type CatalogueVersion,
} from '../../../src/domain/notes/compile';

const CATALOGUE: CatalogueVersion[] = [
  { version: '2026.45.0', notes: [{ kind: 'feature', text: 'Batch scoring' }] },
  { version: '2026.46.0', notes: [{ kind: 'fix', text: 'Timeouts under load' }] },
  {
    version: '2026.47.0',
    notes: [
      { kind: 'security', text: 'TLS 1.3 only' },
      { kind: 'breaking', text: 'v1 scores API removed' },
    ],
  },
  { version: '2026.48.0', notes: [{ kind: 'feature', text: 'Faster fraud scores' }] },
];

describe('release notes, compiled', () => {
  it('takes every version an account skips, oldest first, and only the target when the start is unknown', () => {
    expect(versionsBetween(CATALOGUE, '2026.45.0', '2026.48.0')).toEqual(['2026.46.0', '2026.47.0', '2026.48.0']);
    expect(versionsBetween(CATALOGUE, '2026.47.0', '2026.48.0')).toEqual(['2026.48.0']);
    expect(versionsBetween(CATALOGUE, null, '2026.48.0')).toEqual(['2026.48.0']);
    expect(versionsBetween(CATALOGUE, 'unknown', '2026.48.0')).toEqual(['2026.48.0']);
  });

  it('writes one document with a section per starting version, for two accounts on different versions', () => {
    const notes = compileReleaseNotes({
      releaseId: '2026-48',
      target: '2026.48.0',
      lines: ['Weekly release'],
      catalogue: CATALOGUE,
      starting: [
        { from: '2026.47.0', accounts: 1 },
        { from: '2026.45.0', accounts: 1 },
      ],
    });
    expect(notes.sections.map((section) => [section.from, section.versions])).toEqual([
      ['2026.45.0', ['2026.46.0', '2026.47.0', '2026.48.0']],
      ['2026.47.0', ['2026.48.0']],
    ]);
    const [older, newer] = notes.sections;
    expect(older.markdown).toContain('### What changes for 1 account(s) on 2026.45.0 (2026.45.0 → 2026.48.0)');
    expect(older.markdown).toContain('- v1 scores API removed (2026.47.0)');
    expect(older.markdown).toContain('- Timeouts under load (2026.46.0)');
    expect(older.markdown.indexOf('Breaking changes')).toBeLessThan(older.markdown.indexOf('Features'));
    expect(newer.markdown).not.toContain('v1 scores API removed');
    expect(newer.markdown).toContain('- Faster fraud scores (2026.48.0)');
    expect(notes.markdown.startsWith('# Release 2026-48: 2026.48.0\n\n- Weekly release\n')).toBe(true);
    expect(notes.markdown).toContain('## All changes');
    expect(notes.markdown).toContain('## By starting version');
    // 2026.45.0 is where the oldest account starts: its own notes are not news to anyone.
    expect(notes.markdown).not.toContain('Batch scoring');
  });

  it("names the patch and its reason, and takes the patch version's notes", () => {
    const notes = compileReleaseNotes({
      releaseId: '2026-47',
      target: '2026.48.0',
      original: '2026.47.0',
      patch: { version: '2026.48.0', reason: 'fixes wrong fraud scores' },
      lines: [],
      catalogue: CATALOGUE,
      starting: [{ from: '2026.46.0', accounts: 3 }],
    });
    expect(notes.markdown).toContain('Patched: 2026.47.0 was replaced by 2026.48.0: fixes wrong fraud scores');
    expect(notes.sections[0].versions).toEqual(['2026.47.0', '2026.48.0']);
  });

  it('orders versions by their numbers when the platform gives no publication times', () => {
    const sorted = ['2026.10.0', '2026.9.1', '2026.9.0', '2025.52.3'].sort(compareVersions);
    expect(sorted).toEqual(['2025.52.3', '2026.9.0', '2026.9.1', '2026.10.0']);
    expect(compareVersions('2026.47.0', '2026.47.0-hotfix')).toBe(-1);
  });
});
