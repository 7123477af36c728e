import type { ActivityDeps } from '../deps';

/** Activities of one account's blue-green swap. */
export function createDeploymentActivities(_deps: ActivityDeps) {
  return {};
}
