/**
 * The release's compiled notes in its status (the `releaseNotes` query, the result): compiled by
 * an activity at planning and again when a patch becomes the target. Notes never hold a release
 * back: when the platform cannot give them, the status says why and the release goes on.
 */
import type { ReleaseNotes } from '../notes/compile';
import { emit, type ReleaseStatus, type Transition } from './status';
import { clip } from './timeline';

/** Markdown kept in the status (and carried by continue-as-new); longer notes are cut, saying so. */
export const NOTES_MAX_CHARS = 48_000;

export type CompiledNotes =
  | {
      target: string;
      markdown: string;
      sections: Array<{ from: string | null; accounts: number; versions: string[] }>;
      at: number;
    }
  | { target: string; error: string; at: number };

/** What the activity is asked: the release's target, its patch and lines, and its accounts. */
export interface NotesRequest {
  releaseId: string;
  target: string;
  original?: string;
  patch?: { version: string; reason: string };
  lines: string[];
  /** The accounts of the release; undefined: every account of the platform. */
  accountIds?: string[];
}

export function notesRequest(
  status: ReleaseStatus,
  accountIds: string[] | undefined,
  patch?: { version: string; reason: string },
): NotesRequest {
  const patched = status.targetVersion !== status.originalVersion;
  return {
    releaseId: status.releaseId,
    target: status.targetVersion,
    ...(patched ? { original: status.originalVersion } : {}),
    ...(patch ? { patch: { version: patch.version, reason: patch.reason } } : {}),
    lines: status.notes,
    ...(accountIds ? { accountIds } : {}),
  };
}

export function recordNotes(
  status: ReleaseStatus,
  compiled: ReleaseNotes | { error: string },
  now: number,
): Transition {
  if ('error' in compiled) {
    const error = clip(compiled.error, 300);
    return emit(status, { releaseNotes: { target: status.targetVersion, error, at: now } }, now, [
      { type: 'notes-unavailable', target: status.targetVersion, reason: error },
    ]);
  }
  const markdown =
    compiled.markdown.length > NOTES_MAX_CHARS
      ? `${compiled.markdown.slice(0, NOTES_MAX_CHARS)}\n\n…(cut: the notes are longer than ${NOTES_MAX_CHARS} characters)\n`
      : compiled.markdown;
  const sections = compiled.sections.map(({ from, accounts, versions }) => ({ from, accounts, versions }));
  return emit(status, { releaseNotes: { target: compiled.target, markdown, sections, at: now } }, now, [
    { type: 'notes-compiled', target: compiled.target, sections: sections.length },
  ]);
}

/** The `releaseNotes` query's answer. */
export interface ReleaseNotesView {
  releaseId: string;
  /** The version the notes lead to (the target when they were compiled). */
  target: string;
  markdown?: string;
  sections?: Array<{ from: string | null; accounts: number; versions: string[] }>;
  compiledAt?: string;
  /** Why there are no notes (the platform could not give them). */
  error?: string;
  /** Not compiled yet (the release is planning), or a release started before notes were compiled. */
  pending?: true;
}

export function releaseNotesView(status: ReleaseStatus): ReleaseNotesView {
  const notes = status.releaseNotes;
  const base = { releaseId: status.releaseId };
  if (!notes) return { ...base, target: status.targetVersion, pending: true };
  const compiledAt = new Date(notes.at).toISOString();
  if ('error' in notes) return { ...base, target: notes.target, error: notes.error, compiledAt };
  return { ...base, target: notes.target, markdown: notes.markdown, sections: notes.sections, compiledAt };
}

/** The notes' Markdown, for the result; undefined when there is none. */
export function notesMarkdown(status: ReleaseStatus): string | undefined {
  const notes = status.releaseNotes;
  return notes && 'markdown' in notes ? notes.markdown : undefined;
}
