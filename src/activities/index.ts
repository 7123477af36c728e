import type { ActivityDeps } from './deps';
import { createDeploymentActivities } from './deployment';
import { createNotifyActivities } from './notify';
import { createReleaseActivities } from './release';
import { createTrainActivities } from './train';

export type { ActivityDeps };

/** Every activity the worker registers, bound to the platform it talks to. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDeploymentActivities(deps),
    ...createReleaseActivities(deps),
    ...createNotifyActivities({ sinks: deps.notifySinks ?? [], logger: deps.logger }),
    ...createTrainActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
