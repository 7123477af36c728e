import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SwapStallReport } from '../../domain/deployment/stalls';
import {
  RELEASE_MESSAGES,
  RELEASE_QUERY_STATUS,
  RELEASE_SWAP_STALL_SIGNAL,
  type AbortMessage,
  type PatchMessage,
  type PauseMessage,
  type ReportIssueMessage,
  type ResumeMessage,
} from '../../domain/release/input';
import type { ReleaseStatusView, ReleaseStatusSummary } from '../../domain/release/view';

/** `status`: the whole release, every account included. */
export const statusQuery = defineQuery<ReleaseStatusView>(RELEASE_QUERY_STATUS);

/** Each on-call message is a signal (fire and forget) and an update of the same name (validated, answers the new status). */
export const pauseSignal = defineSignal<[PauseMessage]>(RELEASE_MESSAGES.pause);
export const resumeSignal = defineSignal<[ResumeMessage]>(RELEASE_MESSAGES.resume);
export const patchSignal = defineSignal<[PatchMessage]>(RELEASE_MESSAGES.patch);
export const abortSignal = defineSignal<[AbortMessage]>(RELEASE_MESSAGES.abort);
export const reportIssueSignal = defineSignal<[ReportIssueMessage]>(RELEASE_MESSAGES.reportIssue);

export const pauseUpdate = defineUpdate<ReleaseStatusSummary, [PauseMessage]>(RELEASE_MESSAGES.pause);
export const resumeUpdate = defineUpdate<ReleaseStatusSummary, [ResumeMessage]>(RELEASE_MESSAGES.resume);
export const patchUpdate = defineUpdate<ReleaseStatusSummary, [PatchMessage]>(RELEASE_MESSAGES.patch);
export const abortUpdate = defineUpdate<ReleaseStatusSummary, [AbortMessage]>(RELEASE_MESSAGES.abort);
export const reportIssueUpdate = defineUpdate<ReleaseStatusSummary, [ReportIssueMessage]>(RELEASE_MESSAGES.reportIssue);

/** From the release's own swaps, not from on-call: a swap stalled (how long, why), or recovered. */
export const swapStallSignal = defineSignal<[SwapStallReport]>(RELEASE_SWAP_STALL_SIGNAL);
