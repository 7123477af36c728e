import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ReleaseIdKey = defineSearchAttributeKey('ReleaseId', SearchAttributeType.KEYWORD);
export const ReleaseVersionKey = defineSearchAttributeKey('ReleaseVersion', SearchAttributeType.KEYWORD);
export const ReleaseStageKey = defineSearchAttributeKey('ReleaseStage', SearchAttributeType.KEYWORD);
export const AccountIdKey = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const DeploymentOutcomeKey = defineSearchAttributeKey('DeploymentOutcome', SearchAttributeType.KEYWORD);

/** Every custom search attribute the design names; the dev stack and the test harness register these. */
export const SEARCH_ATTRIBUTE_KEYS = [
  ReleaseIdKey,
  ReleaseVersionKey,
  ReleaseStageKey,
  AccountIdKey,
  DeploymentOutcomeKey,
];
