import type { FreezeCalendar } from '../freeze/calendar';
import type { AccountFindings, ReconcileTarget } from './reconcile';
import type { RegressionEvidence } from './regression';
import type { ReleaseOfVersion } from '../train/choice';
import type { RegistryAnswer } from './registry-answer';
import type { ReleaseNotes } from '../notes/compile';
import type { NotesRequest } from './notes';

/** One regression run of the pre-release validation on an internal account. */
export interface RegressionRun {
  releaseId: string;
  accountId: string;
  /** The new version; the baseline is the version the account serves now. */
  version: string;
  requests: number;
  /** How long each instance has to become ready (the strategy's readinessTimeout). */
  readinessTimeoutMs: number;
}

/** Whether the platform's version catalogue has a version. */
export interface VersionLookup {
  version: string;
  known: boolean;
}

/** The activities `stagedRelease` calls (implemented in src/activities/release). */
export interface ReleaseActivities {
  /** Every account the fleet knows, with its early-access opt-in (which decides its wave); compact (see RegistryAnswer). */
  listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAnswer>;
  /** Reads an account whose swap ended half-way from the fleet and removes that swap's leftovers outside the pool. */
  reconcileAccount(input: ReconcileTarget & { releaseId: string }): Promise<AccountFindings>;
  /** Asks the platform's version catalogue whether it has the version (release or patch) before anything uses it. */
  lookUpVersion(input: { releaseId: string; version: string }): Promise<VersionLookup>;
  /** The release's notes from the catalogue, per starting version of its accounts (reads only). */
  compileReleaseNotes(input: NotesRequest): Promise<ReleaseNotes>;
  /** The freeze calendar the worker is configured with (FREEZE_CALENDAR), as of now. */
  readFreezeCalendar(input: { releaseId: string }): Promise<FreezeCalendar>;
  /**
   * Provisions one instance of the account's current version and one of `version` beside its pool,
   * sends both the same sample workload, measures error rate and p50/p99 latency, and
   * decommissions them. Idempotent: the instances' request ids come from release, account and version.
   */
  runRegression(input: RegressionRun): Promise<RegressionEvidence>;
  /** Other releases of the version that run or completed (the calling release left out). */
  findReleasesOfVersion(input: { releaseId: string; version: string }): Promise<ReleaseOfVersion[]>;
}
