/**
 * Release notes, compiled: the notes of every catalogue version an account passes through on its
 * way from what it runs to the release's target (an account may skip versions), plus the patch's
 * reason and the release's own lines, as Markdown. One document for the release, with a "what
 * changes for" section per distinct starting version. Pure: the catalogue and the starting
 * versions are read by an activity.
 */
export const NOTE_KINDS = ['breaking', 'security', 'feature', 'fix'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface VersionNote {
  kind: NoteKind;
  text: string;
}

/** One catalogue version with its notes; the catalogue is given oldest first. */
export interface CatalogueVersion {
  version: string;
  notes: VersionNote[];
}

export interface NotesInput {
  releaseId: string;
  /** What accounts get now (the patch, once one is applied). */
  target: string;
  /** The version the release was started with, when a patch replaced it. */
  original?: string;
  patch?: { version: string; reason: string };
  /** The release's own lines (its input's `notes`). */
  lines: readonly string[];
  catalogue: readonly CatalogueVersion[];
  /** Accounts by the version they run now (null: not known). */
  starting: ReadonlyArray<{ from: string | null; accounts: number }>;
}

export interface NotesSection {
  from: string | null;
  accounts: number;
  /** The versions whose notes apply, oldest first. */
  versions: string[];
  markdown: string;
}

export interface ReleaseNotes {
  target: string;
  markdown: string;
  sections: NotesSection[];
}

const HEADINGS: Record<NoteKind, string> = {
  breaking: 'Breaking changes',
  security: 'Security',
  feature: 'Features',
  fix: 'Fixes',
};

/**
 * Catalogue order when the platform gives no publication times: numeric parts compared as numbers
 * ("2026.9.0" before "2026.10.0"), other parts as text.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+_-]/);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const [x, y] = [left[i], right[i]];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

/** Versions after `from` up to and including `target`, in catalogue order; only `target` when `from` is unknown. */
export function versionsBetween(catalogue: readonly CatalogueVersion[], from: string | null, target: string): string[] {
  const order = catalogue.map((entry) => entry.version);
  const end = order.indexOf(target);
  if (end < 0) return [target];
  const start = from === null ? -1 : order.indexOf(from);
  if (start < 0 || start >= end) return [target];
  return order.slice(start + 1, end + 1);
}

export function compileReleaseNotes(input: NotesInput): ReleaseNotes {
  const byVersion = new Map(input.catalogue.map((entry) => [entry.version, entry.notes]));
  const sections = [...input.starting]
    .sort((a, b) => b.accounts - a.accounts || String(a.from).localeCompare(String(b.from)))
    .map(({ from, accounts }): NotesSection => {
      const versions = versionsBetween(input.catalogue, from, input.target);
      const notes = versions.flatMap((version) => (byVersion.get(version) ?? []).map((note) => ({ ...note, version })));
      const title = `What changes for ${accounts} account(s) on ${from ?? 'an unknown version'}`;
      const span = from === null ? input.target : `${from} → ${input.target}`;
      const lines = [`### ${title} (${span})`, ''];
      if (from !== null && versions.length > 1) lines.push(`Versions: ${versions.join(', ')}`, '');
      lines.push(...groupedNotes(notes));
      return { from, accounts, versions, markdown: lines.join('\n').trimEnd() };
    });

  const header = [`# Release ${input.releaseId}: ${input.target}`, ''];
  if (input.patch)
    header.push(
      `Patched: ${input.original ?? 'the release'} was replaced by ${input.patch.version}: ${input.patch.reason}`,
      '',
    );
  if (input.lines.length) header.push(...input.lines.map((line) => `- ${line}`), '');
  const all = versionsBetween(input.catalogue, oldestStart(input), input.target);
  const notes = all.flatMap((version) => (byVersion.get(version) ?? []).map((note) => ({ ...note, version })));
  const body = ['## All changes', '', ...groupedNotes(notes), '', '## By starting version', ''];
  const markdown = [...header, ...body, ...sections.flatMap((section) => [section.markdown, ''])].join('\n').trimEnd();
  return { target: input.target, markdown: `${markdown}\n`, sections };
}

/** The oldest starting version in the catalogue: the whole span any account crosses. */
function oldestStart(input: NotesInput): string | null {
  const order = input.catalogue.map((entry) => entry.version);
  const known = input.starting
    .map((start) => start.from)
    .filter((from): from is string => from !== null && order.includes(from));
  if (known.length === 0) return null;
  return known.reduce((oldest, from) => (order.indexOf(from) < order.indexOf(oldest) ? from : oldest));
}

function groupedNotes(notes: ReadonlyArray<VersionNote & { version: string }>): string[] {
  if (notes.length === 0) return ['No notes in the catalogue for these versions.'];
  const lines: string[] = [];
  for (const kind of NOTE_KINDS) {
    const ofKind = notes.filter((note) => note.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(`#### ${HEADINGS[kind]}`, '', ...ofKind.map((note) => `- ${note.text} (${note.version})`), '');
  }
  return lines.slice(0, -1);
}
