import type { FreezeCalendar } from '../freeze/calendar';
import type { AccountFindings, ReconcileTarget } from './reconcile';
import type { RegistryAccount } from './waves';
import type { ReleaseNotes } from '../notes/compile';
import type { NotesRequest } from './notes';

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
  /** The release's notes from the catalogue, per starting version of its accounts (reads only). */
  compileReleaseNotes(input: NotesRequest): Promise<ReleaseNotes>;
  /** The freeze calendar the worker is configured with (FREEZE_CALENDAR), as of now. */
  readFreezeCalendar(input: { releaseId: string }): Promise<FreezeCalendar>;
}
