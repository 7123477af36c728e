/**
 * Typed client side of `stagedRelease`: start a release, find it by release id, read its
 * `status`, and send the on-call messages, each as an update (validated by the release before
 * anything is recorded; answers the new status summary or fails with the reason) or as a signal
 * (fire and forget; one the release refuses is recorded in its timeline). Payloads are checked
 * by the release itself, so a client gets the release's own words for a bad one.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  releaseWorkflowId,
  type AbortMessage,
  type AccountRepairMessage,
  type OverrideFreezeMessage,
  type PatchMessage,
  type PauseMessage,
  type ReportIssueMessage,
  type ResumeMessage,
  type StagedReleaseInput,
} from '../domain/release/input';
import type { AccountEntry, AccountsPage, AccountsRequest } from '../domain/release/account-pages';
import type { PlanPage, PlanRequest } from '../domain/plan/page';
import type { ReleaseNotesView } from '../domain/release/notes';
import type { ReleaseOverview } from '../domain/release/overview';
import { ReleaseIdKey, ReleaseStageKey, ReleaseVersionKey } from '../domain/search-attributes';
import type { AccountStatusView, ReleaseStatusSummary } from '../domain/release/view';
import { stagedRelease } from '../workflows/release';
import {
  abortSignal,
  abortUpdate,
  accountsQuery,
  overrideFreezeSignal,
  overrideFreezeUpdate,
  patchSignal,
  patchUpdate,
  pauseSignal,
  pauseUpdate,
  planQuery,
  releaseNotesQuery,
  reportIssueSignal,
  reportIssueUpdate,
  resumeSignal,
  resumeUpdate,
  retryAccountSignal,
  retryAccountUpdate,
  rollbackAccountSignal,
  rollbackAccountUpdate,
  skipAccountSignal,
  skipAccountUpdate,
  statusQuery,
} from '../workflows/release/messages';

export type ReleaseHandle = WorkflowHandle<typeof stagedRelease>;

export interface StartReleaseOptions {
  taskQueue: string;
  /** Default `release-<releaseId>`, the id the runbook and the UI use. */
  workflowId?: string;
}

export function start(client: Client, input: StagedReleaseInput, options: StartReleaseOptions): Promise<ReleaseHandle> {
  return client.workflow.start(stagedRelease, {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId ?? releaseWorkflowId(input.releaseId),
    args: [input],
  });
}

/** The release `release-<releaseId>` (its latest run unless runId is given). */
export function getHandle(client: Client, releaseId: string, runId?: string): ReleaseHandle {
  return client.workflow.getHandle<typeof stagedRelease>(releaseWorkflowId(releaseId), runId);
}

/** The release at a glance (stage, day, counts per wave, issues, newest timeline); small at any size. */
export function status(handle: ReleaseHandle): Promise<ReleaseOverview> {
  return handle.query(statusQuery);
}

/** One page of the release's accounts: filter by wave, state, outcome or ids; pass nextPageToken for the next. */
export function accounts(handle: ReleaseHandle, request: AccountsRequest = {}): Promise<AccountsPage> {
  return handle.query(accountsQuery, request);
}

/** Who gets what when from now on: the waves, and one page of accounts (filter by wave or account). */
export function plan(handle: ReleaseHandle, request: PlanRequest = {}): Promise<PlanPage> {
  return handle.query(planQuery, request);
}

/** The release's compiled notes: Markdown, and a section per starting version of its accounts. */
export function notes(handle: ReleaseHandle): Promise<ReleaseNotesView> {
  return handle.query(releaseNotesQuery);
}

/** Every account matching the filter, page after page (each page a query). */
export async function* eachAccount(
  handle: ReleaseHandle,
  filter: Omit<AccountsRequest, 'pageToken'> = {},
): AsyncGenerator<AccountEntry> {
  let pageToken: string | undefined;
  do {
    const page = await accounts(handle, { ...filter, ...(pageToken === undefined ? {} : { pageToken }) });
    yield* page.accounts;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}

/** Every account matching the filter as id → record (the shape of the release's result). */
export async function accountRecords(
  handle: ReleaseHandle,
  filter: Omit<AccountsRequest, 'pageToken'> = {},
): Promise<Record<string, AccountStatusView>> {
  const out: Record<string, AccountStatusView> = {};
  for await (const { accountId, ...account } of eachAccount(handle, { pageSize: 1000, ...filter }))
    out[accountId] = account;
  return out;
}

export const update = {
  pause: (handle: ReleaseHandle, payload: PauseMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(pauseUpdate, { args: [payload] }),
  resume: (handle: ReleaseHandle, payload: ResumeMessage = {}): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(resumeUpdate, { args: [payload] }),
  patch: (handle: ReleaseHandle, payload: PatchMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(patchUpdate, { args: [payload] }),
  abort: (handle: ReleaseHandle, payload: AbortMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(abortUpdate, { args: [payload] }),
  reportIssue: (handle: ReleaseHandle, payload: ReportIssueMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(reportIssueUpdate, { args: [payload] }),
  retryAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(retryAccountUpdate, { args: [payload] }),
  skipAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(skipAccountUpdate, { args: [payload] }),
  rollbackAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(rollbackAccountUpdate, { args: [payload] }),
  /** Lets the release go on through the freeze in force (or beginning within the hour); refused when there is none. */
  overrideFreeze: (handle: ReleaseHandle, payload: OverrideFreezeMessage): Promise<ReleaseStatusSummary> =>
    handle.executeUpdate(overrideFreezeUpdate, { args: [payload] }),
};

export const signal = {
  pause: (handle: ReleaseHandle, payload: PauseMessage): Promise<void> => handle.signal(pauseSignal, payload),
  resume: (handle: ReleaseHandle, payload: ResumeMessage = {}): Promise<void> => handle.signal(resumeSignal, payload),
  patch: (handle: ReleaseHandle, payload: PatchMessage): Promise<void> => handle.signal(patchSignal, payload),
  abort: (handle: ReleaseHandle, payload: AbortMessage): Promise<void> => handle.signal(abortSignal, payload),
  reportIssue: (handle: ReleaseHandle, payload: ReportIssueMessage): Promise<void> =>
    handle.signal(reportIssueSignal, payload),
  retryAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<void> =>
    handle.signal(retryAccountSignal, payload),
  skipAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<void> =>
    handle.signal(skipAccountSignal, payload),
  rollbackAccount: (handle: ReleaseHandle, payload: AccountRepairMessage): Promise<void> =>
    handle.signal(rollbackAccountSignal, payload),
  overrideFreeze: (handle: ReleaseHandle, payload: OverrideFreezeMessage): Promise<void> =>
    handle.signal(overrideFreezeSignal, payload),
};

/** One release as visibility lists it. */
export interface ListedRelease {
  workflowId: string;
  runId: string;
  status: string;
  releaseId?: string;
  version?: string;
  stage?: string;
  startTime: string;
  closeTime?: string;
}

/** The newest releases first, from visibility (search attributes), at most `limit`. */
export async function list(client: Client, limit = 50): Promise<ListedRelease[]> {
  const out: ListedRelease[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowType = '${stagedRelease.name}'`, pageSize: limit })) {
    out.push({
      workflowId: run.workflowId,
      runId: run.runId,
      status: run.status.name,
      releaseId: run.typedSearchAttributes.get(ReleaseIdKey),
      version: run.typedSearchAttributes.get(ReleaseVersionKey),
      stage: run.typedSearchAttributes.get(ReleaseStageKey),
      startTime: run.startTime.toISOString(),
      ...(run.closeTime ? { closeTime: run.closeTime.toISOString() } : {}),
    });
    if (out.length >= limit) break;
  }
  return out;
}
