/**
 * The `status` query's answer: the release at a glance, small whatever its size (under 64 KB at
 * 20,000 accounts and with every free text at its longest). Stage, day, waves with counts per
 * state and outcome, the newest issues and the open ones, the newest timeline entries, stalls;
 * every list is cut to a byte budget and says how much it left out. Per-account records come from
 * the paged `accounts` query (account-pages.ts).
 */
import { tableSize } from './bucket-table';
import type { ReleaseStatus } from './status';
import { clip } from './timeline';
import {
  statusSummary,
  type ReleaseIssueView,
  type ReleaseStatusSummary,
  type StallView,
  type TimelineEntryView,
} from './view';

/** The `status` answer: the summary every update answers, with each list cut to its budget. */
export interface ReleaseOverview extends ReleaseStatusSummary {
  /** Accounts in the release; their records come from the `accounts` query, page by page. */
  accountsTotal: number;
  /** Notes left out (the answer keeps the first ones). */
  notesOmitted?: number;
  /** Older issues left out of `issues` (the newest are kept). */
  issuesOmitted?: number;
  /** Open issues left out of `openIssues` (the oldest open are kept). */
  openIssuesOmitted?: number;
  /** Stalls left out of `stalls`; every stalled account shows `stalled` in the `accounts` query. */
  stallsOmitted?: number;
}

/** Upper bound of the answer's JSON, proven for the longest texts every input allows (see the unit tests). */
export const OVERVIEW_MAX_BYTES = 64 * 1024;

const BUDGET = { notes: 4_000, issues: 12_000, openIssues: 12_000, timeline: 16_000, stalls: 8_000 };
const COUNT = { notes: 20, issues: 20, openIssues: 20, timeline: 100, stalls: 50 };
/** Accounts named by one issue in the answer. */
const ISSUE_ACCOUNTS = 10;
/** Freeze overrides in the answer (the newest). */
const FREEZE_OVERRIDES = 5;
/** The newest regression runs of wave 0 in the answer (the status keeps a few more). */
const REGRESSIONS_SHOWN = 5;
/** Free text of one field (reasons, summaries) in the answer. */
const TEXT = 500;

export function statusOverview(status: ReleaseStatus): ReleaseOverview {
  const summary = statusSummary(status);
  const notes = fit(
    summary.notes.map((note) => clip(note, TEXT)),
    'first',
    BUDGET.notes,
    COUNT.notes,
  );
  const issues = fit(summary.issues.map(shortIssue), 'last', BUDGET.issues, COUNT.issues);
  const open = fit(summary.openIssues.map(shortIssue), 'first', BUDGET.openIssues, COUNT.openIssues);
  const timeline = fit(summary.timeline.map(shortEntry), 'last', BUDGET.timeline, COUNT.timeline);
  const stalls = summary.stalls && fit(summary.stalls.map(shortStall), 'first', BUDGET.stalls, COUNT.stalls);
  const text = (value: string | undefined) => (value === undefined ? undefined : clip(value, TEXT));
  return dropUndefined({
    ...summary,
    notes: notes.kept,
    notesOmitted: omitted(notes),
    pauseReason: text(summary.pauseReason),
    holdReason: text(summary.holdReason),
    pendingPatch: summary.pendingPatch && { ...summary.pendingPatch, reason: clip(summary.pendingPatch.reason, TEXT) },
    abort: summary.abort && { ...summary.abort, reason: clip(summary.abort.reason, TEXT) },
    halt: summary.halt && { ...summary.halt, reason: clip(summary.halt.reason, TEXT) },
    issues: issues.kept,
    issuesOmitted: omitted(issues),
    openIssues: open.kept,
    openIssuesOmitted: omitted(open),
    timeline: timeline.kept,
    timelineDropped: summary.timelineDropped + timeline.left,
    stalls: stalls?.kept,
    stallsOmitted: stalls && omitted(stalls),
    newSwapsHeld: text(summary.newSwapsHeld),
    ownStall: summary.ownStall && { ...summary.ownStall, reason: clip(summary.ownStall.reason, TEXT) },
    freeze: summary.freeze && {
      ...summary.freeze,
      overrides: summary.freeze.overrides
        .slice(-FREEZE_OVERRIDES)
        .map((override) => ({ ...override, reason: clip(override.reason, TEXT) })),
    },
    validation: summary.validation && {
      ...summary.validation,
      skipReason: text(summary.validation.skipReason),
      regressions: summary.validation.regressions
        .slice(-REGRESSIONS_SHOWN)
        .map((run) => ({ ...run, summary: clip(run.summary, TEXT) })),
    },
    accountsTotal: tableSize(status.accounts.table),
  });
}

function shortIssue(issue: ReleaseIssueView): ReleaseIssueView {
  const short: ReleaseIssueView = { ...issue, summary: clip(issue.summary, TEXT) };
  if (issue.closedBy !== undefined) short.closedBy = clip(issue.closedBy, TEXT);
  if (issue.accounts && issue.accounts.length > ISSUE_ACCOUNTS) {
    short.accounts = issue.accounts.slice(0, ISSUE_ACCOUNTS);
    short.accountsOmitted = issue.accounts.length - ISSUE_ACCOUNTS;
  }
  return short;
}

function shortEntry(entry: TimelineEntryView): TimelineEntryView {
  return entry.detail === undefined ? entry : { ...entry, detail: clip(entry.detail, TEXT) };
}

function shortStall(stall: StallView): StallView {
  return { ...stall, step: clip(stall.step, 100), reason: clip(stall.reason, TEXT) };
}

interface Fitted<T> {
  kept: T[];
  /** Items left out. */
  left: number;
}

/**
 * The first (or last) items, in their order, whose JSON together stays within `budget` bytes,
 * at most `count` of them.
 */
export function fit<T>(items: readonly T[], from: 'first' | 'last', budget: number, count: number): Fitted<T> {
  const ordered = from === 'first' ? items : [...items].reverse();
  const kept: T[] = [];
  let bytes = 0;
  for (const item of ordered) {
    if (kept.length === count) break;
    const size = utf8Length(JSON.stringify(item)) + 1;
    if (bytes + size > budget) break;
    bytes += size;
    kept.push(item);
  }
  if (from === 'last') kept.reverse();
  return { kept, left: items.length - kept.length };
}

/** Bytes of `text` in UTF-8 (no Buffer in the workflow sandbox). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const omitted = (fitted: Fitted<unknown>): number | undefined => (fitted.left > 0 ? fitted.left : undefined);

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
