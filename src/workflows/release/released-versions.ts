/**
 * One version is released once: a release of a version to every account, when another release of
 * that version runs or completed, is refused at planning, whoever starts it (the train or
 * `temporal workflow start` by hand). A release that names its accounts (a targeted release, as
 * on-call uses to finish or repair a few accounts) is not refused. Guarded by its own patch
 * marker, so releases recorded before it replay unchanged.
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

/** Fails a release to every account with InvalidInput when another release of its version runs or completed. */
export async function refuseReleasedVersion(params: StagedReleaseParams): Promise<void> {
  if (!patched(REFUSE_RELEASED_VERSION) || params.accounts !== undefined) return;
  const { releaseId, version } = params;
  const releases = await planning.findReleasesOfVersion({ releaseId, version });
  if (releases.length)
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease input: version: ${alreadyReleased(version, releases)}; a version is released once, release a newer one`,
      'InvalidInput',
    );
}
