/** Issues of a release: opened by automated detection or by on-call, closed by a patch or a resume. */
import { clip } from './timeline';
import {
  emit,
  openIssues,
  REASON_LIMIT,
  unchanged,
  type ReleaseIssue,
  type ReleaseStatus,
  type Transition,
} from './status';

/** Every open issue is kept, and only the latest closed ones. */
const CLOSED_ISSUES_KEPT = 50;
const ACCOUNTS_PER_ISSUE = 50;

export function openIssue(
  status: ReleaseStatus,
  issue: { source: ReleaseIssue['source']; summary: string; accounts?: string[] },
  now: number,
): Transition {
  const opened: ReleaseIssue = {
    id: status.nextIssueId,
    source: issue.source,
    summary: clip(issue.summary, REASON_LIMIT),
    openedAt: now,
    ...(issue.accounts?.length ? { accounts: issue.accounts.slice(0, ACCOUNTS_PER_ISSUE) } : {}),
  };
  const issues = [...status.issues, opened];
  const closed = issues.filter((i) => i.closedAt !== undefined);
  const drop = new Set(closed.slice(0, Math.max(0, closed.length - CLOSED_ISSUES_KEPT)));
  return emit(status, { nextIssueId: status.nextIssueId + 1, issues: issues.filter((i) => !drop.has(i)) }, now, [
    {
      type: 'issue-opened',
      issueId: opened.id,
      source: opened.source,
      summary: opened.summary,
      ...(opened.accounts ? { accounts: opened.accounts } : {}),
    },
  ]);
}

/** Closes every open issue; the stalled swaps' issue among them no longer holds new swaps (on-call's decision). */
export function closeOpenIssues(status: ReleaseStatus, closedBy: string, now: number): Transition {
  const open = openIssues(status);
  if (open.length === 0) return unchanged(status);
  const issues = status.issues.map((issue) =>
    issue.closedAt === undefined ? { ...issue, closedAt: now, closedBy } : issue,
  );
  return emit(
    status,
    { issues, faultIssueId: undefined },
    now,
    open.map((issue) => ({ type: 'issue-closed' as const, issueId: issue.id, by: closedBy })),
  );
}

/** Closes one issue, if it is open. */
export function closeIssue(status: ReleaseStatus, issueId: number, closedBy: string, now: number): Transition {
  const issue = status.issues.find((i) => i.id === issueId && i.closedAt === undefined);
  if (!issue) return unchanged(status);
  const issues = status.issues.map((i) => (i === issue ? { ...i, closedAt: now, closedBy } : i));
  return emit(status, { issues }, now, [{ type: 'issue-closed', issueId, by: closedBy }]);
}
