import type { AccountFindings, ReconcileTarget } from './reconcile';
import type { ReleaseOfVersion } from '../train/choice';
import type { RegistryAccount } from './waves';

/** Whether the platform's version catalogue has a version. */
export interface VersionLookup {
  version: string;
  known: boolean;
}

/** The activities `stagedRelease` calls (implemented in src/activities/release). */
export interface ReleaseActivities {
  /** Every account the fleet knows, with its early-access opt-in (which decides its wave). */
  listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAccount[]>;
  /** Reads an account whose swap ended half-way from the fleet and removes that swap's leftovers outside the pool. */
  reconcileAccount(input: ReconcileTarget & { releaseId: string }): Promise<AccountFindings>;
  /** Asks the platform's version catalogue whether it has the version (release or patch) before anything uses it. */
  lookUpVersion(input: { releaseId: string; version: string }): Promise<VersionLookup>;
  /** Other releases of the version that run or completed (the calling release left out). */
  findReleasesOfVersion(input: { releaseId: string; version: string }): Promise<ReleaseOfVersion[]>;
}
