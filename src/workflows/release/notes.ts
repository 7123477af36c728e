/**
 * Compiling the release notes (an activity: the catalogue and the accounts' versions are the
 * platform's). Bounded: when the platform cannot give them within two minutes the status says why
 * and the release goes on without them. Releases recorded before notes were compiled replay without.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import { notesRequest, recordNotes } from '../../domain/release/notes';
import type { ReleaseRun } from './release-run';

export const RELEASE_NOTES_PATCH = 'release-notes';

const { compileReleaseNotes } = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '15 seconds' },
  summary: 'compile the release notes',
});

/** Compiles the notes of the release's current target (after a patch: with the patch's reason). */
export async function compileNotes(run: ReleaseRun, patch?: { version: string; reason: string }): Promise<void> {
  if (!patched(RELEASE_NOTES_PATCH)) return;
  let compiled: Awaited<ReturnType<typeof compileReleaseNotes>> | { error: string };
  try {
    compiled = await compileReleaseNotes(notesRequest(run.status, run.params.accounts, patch));
  } catch (error) {
    const cause = (error as Error).cause;
    compiled = { error: cause instanceof Error ? cause.message : (error as Error).message };
  }
  run.apply((status, now) => recordNotes(status, compiled, now));
}

/** The pending patch becomes the target, and the notes are compiled again for it. */
export async function applyPatchWithNotes(run: ReleaseRun): Promise<void> {
  const patch = run.status.pendingPatch;
  if (!patch) return;
  run.applyPatch();
  await compileNotes(run, patch);
}
