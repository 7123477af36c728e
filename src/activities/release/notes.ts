/**
 * Compiles a release's notes from the platform: the catalogue's notes per version, and the version
 * each account of the release runs now (one inventory read: the versions of the instances in each
 * account's request pool). Reads only, so retrying it is harmless.
 */
import { compareVersions, compileReleaseNotes, type ReleaseNotes } from '../../domain/notes/compile';
import type { NotesRequest } from '../../domain/release/notes';
import type { ActivityDeps } from '../deps';

export function createNotesActivity(deps: ActivityDeps) {
  return {
    async compileReleaseNotes(request: NotesRequest): Promise<ReleaseNotes> {
      const [catalogue, inventory] = await Promise.all([deps.fleet.listVersions(), deps.fleet.inventory()]);
      const serving = new Map<string, string>();
      for (const instance of inventory) if (instance.inPool) serving.set(instance.accountId, instance.version);
      const accountIds = request.accountIds ?? (await deps.fleet.listAccounts()).map((account) => account.accountId);
      const starting = new Map<string | null, number>();
      for (const accountId of accountIds) {
        const from = serving.get(accountId) ?? null;
        starting.set(from, (starting.get(from) ?? 0) + 1);
      }
      const notes = compileReleaseNotes({
        releaseId: request.releaseId,
        target: request.target,
        ...(request.original ? { original: request.original } : {}),
        ...(request.patch ? { patch: request.patch } : {}),
        lines: request.lines,
        catalogue: catalogue
          .slice()
          // Publication order; versions published at the same time by their numbers.
          .sort(
            (a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || compareVersions(a.version, b.version),
          )
          .map((entry) => ({ version: entry.version, notes: entry.notes ?? [] })),
        starting: [...starting].map(([from, accounts]) => ({ from, accounts })),
      });
      deps.logger.info(
        { releaseId: request.releaseId, version: request.target, sections: notes.sections.length },
        'release notes compiled',
      );
      return notes;
    },
  };
}
