/**
 * One version is released once: a release of a version that another release runs or completed is
 * refused at planning, whoever starts it (the train or `temporal workflow start` by hand). Guarded
 * by its own patch marker, so releases recorded before it replay unchanged.
 */
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import type { StagedReleaseParams } from '../../domain/release/input';
import { alreadyReleased } from '../../domain/train/choice';

export const REFUSE_RELEASED_VERSION = 'refuse-released-version';

/** Planning waits for Temporal's visibility however long it is unreachable, as for the fleet. */
const planning = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
  summary: 'has another release taken this version?',
});

/** Fails the release with InvalidInput when another release of its version runs or completed. */
export async function refuseReleasedVersion(params: StagedReleaseParams): Promise<void> {
  if (!patched(REFUSE_RELEASED_VERSION)) return;
  const { releaseId, version } = params;
  const releases = await planning.findReleasesOfVersion({ releaseId, version });
  if (releases.length)
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease input: version: ${alreadyReleased(version, releases)}; a version is released once, release a newer one`,
      'InvalidInput',
    );
}
