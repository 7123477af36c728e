import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  RELEASE_MESSAGES,
  RELEASE_QUERY_ACCOUNTS,
  RELEASE_QUERY_PLAN,
  RELEASE_QUERY_NOTES,
  RELEASE_QUERY_STATUS,
  type AbortMessage,
  type AccountRepairMessage,
  type OverrideFreezeMessage,
  type PatchMessage,
  type PauseMessage,
  type ReportIssueMessage,
  type ResumeMessage,
} from '../../domain/release/input';
import type { AccountsPage, AccountsRequest } from '../../domain/release/account-pages';
import type { PlanPage, PlanRequest } from '../../domain/plan/page';
import type { ReleaseNotesView } from '../../domain/release/notes';
import type { ReleaseOverview } from '../../domain/release/overview';
import type { ReleaseStatusSummary } from '../../domain/release/view';

/** `status`: the release at a glance (stage, day, counts per wave, issues, newest timeline); under 64 KB at any size. */
export const statusQuery = defineQuery<ReleaseOverview>(RELEASE_QUERY_STATUS);
/** `accounts`: per-account records, a page at a time, filtered by wave, state, outcome or ids. */
export const accountsQuery = defineQuery<AccountsPage, [AccountsRequest?]>(RELEASE_QUERY_ACCOUNTS);
/** `plan`: who gets what when, from now on (waves whole, accounts a page at a time); see src/domain/plan. */
/** `releaseNotes`: the compiled notes (Markdown, and a section per starting version). */
export const releaseNotesQuery = defineQuery<ReleaseNotesView>(RELEASE_QUERY_NOTES);
export const planQuery = defineQuery<PlanPage, [PlanRequest?]>(RELEASE_QUERY_PLAN);

/** Each on-call message is a signal (fire and forget) and an update of the same name (validated, answers the new status). */
export const pauseSignal = defineSignal<[PauseMessage]>(RELEASE_MESSAGES.pause);
export const resumeSignal = defineSignal<[ResumeMessage]>(RELEASE_MESSAGES.resume);
export const patchSignal = defineSignal<[PatchMessage]>(RELEASE_MESSAGES.patch);
export const abortSignal = defineSignal<[AbortMessage]>(RELEASE_MESSAGES.abort);
export const reportIssueSignal = defineSignal<[ReportIssueMessage]>(RELEASE_MESSAGES.reportIssue);
export const retryAccountSignal = defineSignal<[AccountRepairMessage]>(RELEASE_MESSAGES.retryAccount);
export const skipAccountSignal = defineSignal<[AccountRepairMessage]>(RELEASE_MESSAGES.skipAccount);
export const rollbackAccountSignal = defineSignal<[AccountRepairMessage]>(RELEASE_MESSAGES.rollbackAccount);
export const overrideFreezeSignal = defineSignal<[OverrideFreezeMessage]>(RELEASE_MESSAGES.overrideFreeze);

export const pauseUpdate = defineUpdate<ReleaseStatusSummary, [PauseMessage]>(RELEASE_MESSAGES.pause);
export const resumeUpdate = defineUpdate<ReleaseStatusSummary, [ResumeMessage]>(RELEASE_MESSAGES.resume);
export const patchUpdate = defineUpdate<ReleaseStatusSummary, [PatchMessage]>(RELEASE_MESSAGES.patch);
export const abortUpdate = defineUpdate<ReleaseStatusSummary, [AbortMessage]>(RELEASE_MESSAGES.abort);
export const reportIssueUpdate = defineUpdate<ReleaseStatusSummary, [ReportIssueMessage]>(RELEASE_MESSAGES.reportIssue);
export const retryAccountUpdate = defineUpdate<ReleaseStatusSummary, [AccountRepairMessage]>(
  RELEASE_MESSAGES.retryAccount,
);
export const skipAccountUpdate = defineUpdate<ReleaseStatusSummary, [AccountRepairMessage]>(
  RELEASE_MESSAGES.skipAccount,
);
export const rollbackAccountUpdate = defineUpdate<ReleaseStatusSummary, [AccountRepairMessage]>(
  RELEASE_MESSAGES.rollbackAccount,
);
export const overrideFreezeUpdate = defineUpdate<ReleaseStatusSummary, [OverrideFreezeMessage]>(
  RELEASE_MESSAGES.overrideFreeze,
);

export { swapStallSignal } from './swap-stall-signal';
