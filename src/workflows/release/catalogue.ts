/**
 * The platform's version catalogue, asked through an activity (workflows do no I/O): a release of
 * a version the platform does not know is refused at planning, and a patch to one is refused when
 * it arrives, instead of failing every swap and holding the release. Each check is a workflow
 * change guarded by its own patch marker, so releases recorded before it replay unchanged.
 */
import { ApplicationFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import { checkMessage, MessageRejected } from '../../domain/release/messages';
import type { ReleaseMessage, StagedReleaseParams } from '../../domain/release/input';
import type { ReleaseStatus } from '../../domain/release/status';

export const CATALOGUE_CHECK_AT_PLANNING = 'version-catalogue-at-planning';
export const CATALOGUE_CHECK_OF_PATCH = 'version-catalogue-of-patch';

const summary = 'is the version in the platform catalogue?';
/** Planning waits for the platform however long it is unreachable, as for the account registry. */
const planning = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
  summary,
});
/** A message is not kept waiting: when the platform cannot answer within a minute, the patch is refused and may be sent again. */
const messages = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 seconds' },
  summary,
});

/** Fails the release with InvalidInput when the platform does not know the version it releases. */
export async function refuseUnknownVersion(params: StagedReleaseParams): Promise<void> {
  if (!patched(CATALOGUE_CHECK_AT_PLANNING)) return;
  const { releaseId, version } = params;
  const { known } = await planning.lookUpVersion({ releaseId, version });
  if (!known)
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease input: version: ${version} is not in the platform's version catalogue; release a version the platform knows`,
      'InvalidInput',
    );
}

/**
 * Throws MessageRejected when a patch names a version the platform does not know (or the platform
 * could not say), or when the release changed while the platform was asked so that it no longer
 * takes the message. Other messages pass at once.
 */
export async function confirmPatchVersion(status: () => ReleaseStatus, message: ReleaseMessage): Promise<void> {
  if (message.name !== 'patch' || !patched(CATALOGUE_CHECK_OF_PATCH)) return;
  const { version } = message.payload;
  let known: boolean;
  try {
    ({ known } = await messages.lookUpVersion({ releaseId: status().releaseId, version }));
  } catch (error) {
    throw new MessageRejected(
      `patch: could not confirm that ${version} is in the platform's version catalogue (${(error as Error).message}); send the patch again`,
    );
  }
  if (!known)
    throw new MessageRejected(
      `patch: version ${version} is not in the platform's version catalogue; give a version the platform knows`,
    );
  checkMessage(status(), message, Date.now());
}
