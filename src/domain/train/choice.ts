/**
 * What the train releases: the newest stable version published after the newest-published version
 * that production runs now. A version already released (running or completed) is never released again.
 */

export interface CatalogueVersion {
  version: string;
  channel: 'candidate' | 'stable';
  /** ISO time. */
  publishedAt: string;
}

export type TrainChoice = { release: true; version: string; releaseId: string } | { release: false; reason: string };

/** A release that already took a version: running, or completed. */
export interface ReleaseOfVersion {
  workflowId: string;
  status: string;
}

export function chooseTrainVersion(catalogue: CatalogueVersion[], running: string[]): TrainChoice {
  const published = (entry: CatalogueVersion) => Date.parse(entry.publishedAt);
  const byVersion = new Map(catalogue.map((entry) => [entry.version, entry]));
  const runningEntries = [...new Set(running)].flatMap((version) => byVersion.get(version) ?? []);
  const baseline = newest(runningEntries);
  const newer = catalogue.filter(
    (entry) => entry.channel === 'stable' && (!baseline || published(entry) > published(baseline)),
  );
  const chosen = newest(newer);
  if (chosen) return { release: true, version: chosen.version, releaseId: releaseIdForVersion(chosen.version) };
  if (!baseline) return { release: false, reason: 'nothing to release: the catalogue has no stable version' };
  return {
    release: false,
    reason: `nothing to release: no stable version published after ${baseline.version} (${baseline.publishedAt}), the newest that production runs`,
  };
}

/** The train's choice once the releases of the chosen version are known: refused when one ran or runs. */
export function refuseReleased(choice: TrainChoice, releases: ReleaseOfVersion[]): TrainChoice {
  if (!choice.release || releases.length === 0) return choice;
  return { release: false, reason: `nothing to release: ${alreadyReleased(choice.version, releases)}` };
}

export function alreadyReleased(version: string, releases: ReleaseOfVersion[]): string {
  const [first] = releases;
  const how = first.status === 'RUNNING' ? 'running' : 'completed';
  return `${version} already released by ${first.workflowId} (${how})`;
}

function newest(entries: CatalogueVersion[]): CatalogueVersion | undefined {
  return entries.reduce<CatalogueVersion | undefined>((best, entry) => {
    if (!best) return entry;
    const delta = Date.parse(entry.publishedAt) - Date.parse(best.publishedAt);
    return delta > 0 || (delta === 0 && entry.version > best.version) ? entry : best;
  }, undefined);
}

/**
 * The release id of a version, so one version always gets the same release (workflow
 * `release-<releaseId>`). A version may hold "+", which ids do not: "_" is doubled and "+" becomes
 * "_p", so two versions never share an id.
 */
export function releaseIdForVersion(version: string): string {
  return version.replace(/_/g, '__').replace(/\+/g, '_p');
}
