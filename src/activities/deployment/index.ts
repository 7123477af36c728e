import type { DeploymentActivities } from '../../domain/deployment/activities';
import type { ActivityDeps } from '../deps';
import { createAccountActivities } from './account';
import { createClaimActivities } from './claims';
import { createInstanceActivities } from './instances';
import { createValidationActivities } from './validation';
import { createWatchActivities } from './watch';

/** Activities of one account's blue-green swap (the interface is in src/domain/deployment-activities.ts). */
export function createDeploymentActivities(deps: ActivityDeps): DeploymentActivities {
  return {
    ...createAccountActivities(deps),
    ...createClaimActivities(deps),
    ...createInstanceActivities(deps),
    ...createValidationActivities(deps),
    ...createWatchActivities(deps),
  };
}
