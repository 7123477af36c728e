import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AbortMessage, PatchMessage, PauseMessage, ReportIssueMessage, ResumeMessage } from '../../domain/release';
import type { ReleaseStatusView, ReleaseStatusSummary } from '../../domain/release-view';

/** `status`: the whole release, every account included. */
export const statusQuery = defineQuery<ReleaseStatusView>('status');

/** Each on-call message is a signal (fire and forget) and an update of the same name (validated, answers the new status). */
export const pauseSignal = defineSignal<[PauseMessage]>('pause');
export const resumeSignal = defineSignal<[ResumeMessage]>('resume');
export const patchSignal = defineSignal<[PatchMessage]>('patch');
export const abortSignal = defineSignal<[AbortMessage]>('abort');
export const reportIssueSignal = defineSignal<[ReportIssueMessage]>('reportIssue');

export const pauseUpdate = defineUpdate<ReleaseStatusSummary, [PauseMessage]>('pause');
export const resumeUpdate = defineUpdate<ReleaseStatusSummary, [ResumeMessage]>('resume');
export const patchUpdate = defineUpdate<ReleaseStatusSummary, [PatchMessage]>('patch');
export const abortUpdate = defineUpdate<ReleaseStatusSummary, [AbortMessage]>('abort');
export const reportIssueUpdate = defineUpdate<ReleaseStatusSummary, [ReportIssueMessage]>('reportIssue');
