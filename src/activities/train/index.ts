import { releaseWorkflowId } from '../../domain/release/input';
import type { TrainActivities } from '../../domain/train/activities';
import { chooseTrainVersion, refuseReleased } from '../../domain/train/choice';
import type { ActivityDeps } from '../deps';
import { temporalReleaseDirectory } from '../release-directory';
import { asFailure } from '../release';

/** The release train's choice: the platform catalogue and what production runs, then Temporal's record of releases. */
export function createTrainActivities(deps: ActivityDeps): TrainActivities {
  const directory = () => deps.releases ?? temporalReleaseDirectory();
  return {
    async chooseTrainRelease({ firedAt }) {
      let catalogue, inventory;
      try {
        [catalogue, inventory] = await Promise.all([deps.fleet.listVersions(), deps.fleet.inventory()]);
      } catch (error) {
        throw asFailure(error);
      }
      const running = inventory.filter((instance) => instance.inPool).map((instance) => instance.version);
      const choice = chooseTrainVersion(catalogue, running);
      const decided = choice.release
        ? refuseReleased(
            choice,
            await directory().releasesOfVersion({
              version: choice.version,
              workflowId: releaseWorkflowId(choice.releaseId),
            }),
          )
        : choice;
      deps.logger.info(
        { firedAt, running: [...new Set(running)], ...(choice.release ? { version: choice.version } : {}), decided },
        decided.release ? 'release train chose a version' : 'release train has nothing to release',
      );
      return decided;
    },
  };
}
