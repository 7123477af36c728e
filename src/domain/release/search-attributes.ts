/** The search attributes of a release, derived from its status: the workflow upserts them when they change. */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ReleaseIdKey, ReleaseStageKey, ReleaseVersionKey } from '../search-attributes';
import type { ReleaseStage } from './input';
import type { ReleaseStatus } from './status';

export interface ReleaseSearchAttributes {
  ReleaseId: string;
  /** The current target: the original version, or the patch that replaced it. */
  ReleaseVersion: string;
  ReleaseStage: ReleaseStage;
}

export function releaseSearchAttributes(status: ReleaseStatus): ReleaseSearchAttributes {
  return { ReleaseId: status.releaseId, ReleaseVersion: status.targetVersion, ReleaseStage: status.stage };
}

export function sameSearchAttributes(a: ReleaseSearchAttributes, b: ReleaseSearchAttributes): boolean {
  return a.ReleaseId === b.ReleaseId && a.ReleaseVersion === b.ReleaseVersion && a.ReleaseStage === b.ReleaseStage;
}

/** All three, as Temporal's typed pairs (every upsert names the three, as it always has). */
export function searchAttributePairs(attributes: ReleaseSearchAttributes): SearchAttributeUpdatePair[] {
  return [
    { key: ReleaseIdKey, value: attributes.ReleaseId },
    { key: ReleaseVersionKey, value: attributes.ReleaseVersion },
    { key: ReleaseStageKey, value: attributes.ReleaseStage },
  ];
}
