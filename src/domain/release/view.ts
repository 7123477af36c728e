/** What clients see of a release: the `status` query answer and the smaller answer of every update. */
import { openIssues, waveCounts, type OutcomeCounts, type ReleaseIssue, type ReleaseStatus } from './status';

export interface ReleaseStatusView extends ReleaseStatus {
  openIssues: ReleaseIssue[];
  waves: { wave1: OutcomeCounts; wave2: OutcomeCounts };
}

/** The status without the per-account entries (update answers stay small in history). */
export type ReleaseStatusSummary = Omit<ReleaseStatusView, 'accounts'>;

export function statusView(status: ReleaseStatus): ReleaseStatusView {
  const counts = waveCounts(status);
  return { ...status, openIssues: openIssues(status), waves: { wave1: counts[1], wave2: counts[2] } };
}

export function statusSummary(status: ReleaseStatus): ReleaseStatusSummary {
  const { accounts: _accounts, ...rest } = statusView(status);
  return rest;
}
