import type { ActivityDeps } from '../deps';

/** Activities of the staged release (account registry look-ups and the like). */
export function createReleaseActivities(_deps: ActivityDeps) {
  return {};
}
