/**
 * Which release events become notifications, and what a notification says. A notification is
 * plain JSON, the same for every sink: `id` is the event's stable id (`<releaseId>/<seq>`, see
 * releaseEventId), so a receiver dedupes on it, also when a delivery is repeated after a worker
 * crash; `seq` orders the notifications of one release.
 *
 * Adding a kind of notification is one line in NOTIFIED: the release event it comes from, its
 * type, its text and its details.
 */
import type { ReleaseKind } from '../primitives';
import { releaseEventId, type ReleaseEvent, type ReleaseEventType } from '../release/events';

/** Text is kept short: undelivered notifications live in the release's status (evidence is clipped where it is made). */
export const NOTIFICATION_TEXT_LIMIT = 500;

export interface ReleaseNotification {
  /** `<releaseId>/<seq>`: the same however often it is delivered. */
  id: string;
  /** The release event's number: notifications of one release arrive in this order. */
  seq: number;
  type: string;
  releaseId: string;
  /** The version the release gives accounts when this happened. */
  version: string;
  /** ISO time of the event. */
  at: string;
  /** One line for people. */
  text: string;
  details: Record<string, unknown>;
}

interface Draft {
  type: string;
  text: string;
  details: Record<string, unknown>;
}

type EventOf<T extends ReleaseEventType> = Extract<ReleaseEvent, { type: T }>;
/** A draft, or undefined when this event is not worth a notification. */
type Notifier<T extends ReleaseEventType> = (event: EventOf<T>, release: NotifiedRelease) => Draft | undefined;

/** What a notification says of its release besides the event. */
export interface NotifiedRelease {
  releaseId: string;
  version: string;
  kind?: ReleaseKind;
  /** The compiled release notes (Markdown), sent with started and completed. */
  notes?: string;
}

const when = (at: number) => new Date(at).toISOString();
/** Stages that have an event of their own (held, completed, aborted) or that open the release (started). */
const STAGES_NOTIFIED_OTHERWISE = new Set(['held', 'completed', 'aborted']);

const NOTIFIED: { [T in ReleaseEventType]?: Notifier<T> } = {
  planned: (e) =>
    draft('planned', `planned: ${e.wave1} account(s) in wave 1, ${e.wave2} in wave 2; Day 1 at ${when(e.startAt)}`, {
      wave1: e.wave1,
      wave2: e.wave2,
      startAt: when(e.startAt),
      stageLengthMs: e.stageLength,
    }),
  'stage-entered': (e, release) =>
    e.stage === 'wave-1' && e.from === 'scheduled'
      ? draft('started', 'started: wave 1 is being released', { stage: e.stage, releaseNotes: release.notes })
      : STAGES_NOTIFIED_OTHERWISE.has(e.stage)
        ? undefined
        : draft('stage-entered', `stage ${e.stage}${e.detail ? `: ${e.detail}` : ''}`, {
            stage: e.stage,
            from: e.from,
            detail: e.detail,
          }),
  'deployment-started': (e, release) =>
    release.kind === 'major' && !e.revert
      ? draft('maintenance-starting', `${e.accountId}: maintenance starting, upgrade to ${e.version}`, {
          accountId: e.accountId,
          wave: e.wave,
          version: e.version,
        })
      : undefined,
  'maintenance-announced': (e) =>
    draft(
      'maintenance-announced',
      `${e.accountId}: maintenance window ${when(e.start)} to ${when(e.end)} ${e.moved ? 're-announced' : 'announced'}; the upgrade starts at ${when(e.notBefore)} at the earliest`,
      { accountId: e.accountId, start: when(e.start), end: when(e.end), notBefore: when(e.notBefore), moved: e.moved },
    ),
  'maintenance-needs-window': (e) =>
    draft('maintenance-needs-window', `${e.accountId} needs a maintenance window: ${e.reason}`, {
      accountId: e.accountId,
      reason: e.reason,
    }),
  'deployment-finished': (e, release) =>
    release.kind === 'major' && !e.revert && e.outcome === 'promoted'
      ? draft('maintenance-finished', `${e.accountId}: maintenance finished, on ${e.version}`, {
          accountId: e.accountId,
          wave: e.wave,
          version: e.version,
          fromVersion: e.fromVersion,
        })
      : e.outcome === 'rolled-back' || e.outcome === 'failed'
        ? draft(`account-${e.outcome}`, `${e.accountId} ${e.outcome} on ${e.version}: ${e.reason ?? ''}`, {
            accountId: e.accountId,
            wave: e.wave,
            version: e.version,
            fromVersion: e.fromVersion,
            revert: e.revert,
            reason: e.reason,
            evidence: e.evidence,
          })
        : undefined,
  'issue-opened': (e) =>
    draft('issue-opened', `issue #${e.issueId} opened (${e.source}): ${e.summary}`, {
      issueId: e.issueId,
      source: e.source,
      summary: e.summary,
      accounts: e.accounts,
    }),
  'issue-closed': (e) =>
    draft('issue-closed', `issue #${e.issueId} closed by ${e.by}`, { issueId: e.issueId, by: e.by }),
  held: (e) => draft('held', `held: ${e.reason}`, { reason: e.reason }),
  'patch-given': (e) =>
    draft('patch-given', `patch ${e.version} given: ${e.reason}`, { patch: e.version, reason: e.reason, via: e.via }),
  paused: (e) => draft('paused', `paused: ${e.reason}`, { reason: e.reason, via: e.via }),
  resumed: (e) =>
    draft('resumed', `resumed${e.reason ? `: ${e.reason}` : ''}`, {
      reason: e.reason,
      via: e.via,
      issuesClosed: e.issuesClosed,
    }),
  aborted: (e) =>
    draft('aborted', `aborted: ${e.reason}`, { reason: e.reason, rollback: e.rollback, notReleased: e.notReleased }),
  completed: (e, release) =>
    draft('completed', `completed: ${e.promoted} of ${e.total} account(s) on the release's version`, {
      promoted: e.promoted,
      total: e.total,
      releaseNotes: release.notes,
    }),
};

function draft(type: string, text: string, details: Record<string, unknown>): Draft {
  const kept = Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
  return { type, text: clip(text, NOTIFICATION_TEXT_LIMIT), details: kept };
}

/** The notification of a release event, or undefined when the event is not notified. */
export function notificationOf(release: NotifiedRelease, event: ReleaseEvent): ReleaseNotification | undefined {
  const notifier = NOTIFIED[event.type] as Notifier<ReleaseEventType> | undefined;
  const made = notifier?.(event as EventOf<ReleaseEventType>, release);
  if (!made) return undefined;
  return {
    id: releaseEventId(release.releaseId, event),
    seq: event.seq,
    type: made.type,
    releaseId: release.releaseId,
    version: release.version,
    at: when(event.at),
    text: made.text,
    details: made.details,
  };
}

/** The notification types there are (README, "Notifications"). */
export const NOTIFICATION_TYPES = [
  'planned',
  'started',
  'stage-entered',
  'account-rolled-back',
  'account-failed',
  'issue-opened',
  'issue-closed',
  'held',
  'patch-given',
  'paused',
  'resumed',
  'aborted',
  'completed',
  'maintenance-announced',
  'maintenance-needs-window',
  'maintenance-starting',
  'maintenance-finished',
] as const;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
