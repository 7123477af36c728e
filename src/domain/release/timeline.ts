/** The release's timeline: the last entries, in words, derived from its events. */
import { formatDuration, formatElapsed } from '../primitives';
import type { ReleaseEvent } from './events';

export const TIMELINE_LIMIT = 300;
const DETAIL_LIMIT = 500;

export interface TimelineEntry {
  /** Epoch ms (ISO in the `status` answer). */
  at: number;
  event: string;
  detail?: string;
}

export interface Timeline {
  entries: TimelineEntry[];
  /** Oldest entries dropped to keep the status compact. */
  dropped: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const clip = (text: string, limit: number): string =>
  text.length > limit ? `${text.slice(0, limit - 1)}…` : text;

/** The entry an event shows in the timeline; undefined for events the timeline leaves out. */
export function timelineEntry(event: ReleaseEvent): TimelineEntry | undefined {
  const entry = (text: string, detail?: string): TimelineEntry =>
    detail === undefined
      ? { at: event.at, event: text }
      : { at: event.at, event: text, detail: clip(detail, DETAIL_LIMIT) };
  switch (event.type) {
    case 'planned':
      return entry(
        'planned',
        `${event.wave0 ? `${event.wave0} internal account(s) in wave 0, ` : ''}${event.wave1} early-access account(s) in wave 1, ${event.wave2} in wave 2; Day 1 at ${iso(event.startAt)}, stage length ${formatDuration(event.stageLength)}`,
      );
    case 'stage-entered':
      return entry(`stage ${event.stage}`, event.detail);
    case 'validation-skipped':
      return entry('wave 0 skipped', `pre-release validation skipped by hand: ${event.reason}`);
    case 'validation-empty':
      return entry('wave 0 empty', 'no internal account in the release: nothing validates it before Day 1');
    case 'validation-started':
      return entry(
        `wave 0 validates ${event.version}`,
        `${event.accounts} internal account(s): regression run, then swap`,
      );
    case 'regression-judged':
      return entry(`${event.accountId} regression run ${event.verdict}`, event.summary);
    case 'validation-passed':
      return entry(`wave 0 passed on ${event.version}`, `${event.regressions} regression run(s) within thresholds`);
    case 'validation-failed':
      return entry(`wave 0 failed on ${event.version}`, event.reason);
    case 'paused':
      return entry(`paused (${event.via})`, event.reason);
    case 'resumed': {
      const what = [event.unpaused ? 'unpaused' : '', event.issuesClosed ? `${event.issuesClosed} issue(s) closed` : '']
        .filter(Boolean)
        .join(', ');
      return entry(`resumed (${event.via})`, [what || 'wave halt cleared', event.reason].filter(Boolean).join(': '));
    }
    case 'patch-given':
      return entry(`patch ${event.version} given (${event.via})`, event.reason);
    case 'patch-applied':
      return entry(`patch ${event.version} is the target`, event.reason);
    case 'abort-requested':
      return entry(`abort${event.rollback ? ' with rollback' : ''} (${event.via})`, event.reason);
    case 'issue-opened':
      return entry(`issue #${event.issueId} opened (${event.source})`, event.summary);
    case 'signal-rejected':
      return entry(`signal ${event.signal} rejected`, event.reason);
    case 'maintenance-announced':
      return entry(
        `${event.accountId} maintenance ${event.moved ? 're-announced' : 'announced'}`,
        `window ${iso(event.start)} to ${iso(event.end)}; the upgrade starts at ${iso(event.notBefore)} at the earliest`,
      );
    case 'maintenance-left-out':
      return entry(
        `${event.accounts.length} account(s) not released: no usable maintenance window`,
        event.accounts.slice(0, 20).join(', '),
      );
    case 'maintenance-needs-window':
      return entry(`${event.accountId} needs a maintenance window`, event.reason);
    case 'notes-unavailable':
      return entry(`release notes of ${event.target} unavailable`, event.reason);
    case 'account-retried':
      return entry(`${event.accountId} retried on ${event.version} (${event.via})`, event.reason);
    case 'account-skipped':
      return entry(`${event.accountId} skipped (${event.via})`, event.reason);
    case 'account-rollback-requested':
      return entry(`${event.accountId} rolled back to ${event.version} (${event.via})`, event.reason);
    case 'account-reconciled':
      return entry(`${event.accountId} reconciled`, event.detail);
    case 'deployment-finished':
      // Promotions (and finished reverts) are counted in the wave table; the timeline keeps what went wrong.
      if (event.outcome === 'promoted' || event.outcome === 'reverted') return undefined;
      return entry(
        `${event.accountId} ${event.outcome}`,
        event.ending === 'result'
          ? `${event.fromVersion ?? '?'} → ${event.version}: ${event.reason ?? ''}`
          : (event.reason ?? ''),
      );
    case 'swap-stalled':
      return entry(`${event.accountId} stalled at ${event.step}`, `${event.cause}, retrying: ${event.detail}`);
    case 'swap-recovered':
      return entry(`${event.accountId} recovered at ${event.step}`, `after ${formatElapsed(event.stalledForMs)}`);
    case 'stall-cleared':
      return entry('stalled swaps recovered', `issue #${event.issueId} closed, new swaps start again`);
    case 'release-stalled':
      return entry(`${event.step} stalled`, `${event.cause}, retrying: ${event.detail}`);
    case 'release-recovered':
      return entry(`${event.step} recovered`, `after ${formatElapsed(event.stalledForMs)}`);
    case 'freeze-calendar-read':
      return entry(
        'freeze calendar read',
        event.rules.length ? `${event.rules.length} freeze(s): ${event.rules.join(', ')}` : 'no freezes',
      );
    case 'freeze-entered':
      return entry(
        `waiting: freeze "${event.name}" until ${iso(event.until)}`,
        `no new swap starts (${event.freezeId})`,
      );
    case 'freeze-left':
      return entry(
        event.by === 'override'
          ? `freeze "${event.name}" overridden: swaps start again`
          : event.by === 'ended'
            ? `freeze "${event.name}" over: swaps start again`
            : `no longer waiting on freeze "${event.name}": the wave stopped`,
        event.freezeId,
      );
    case 'freeze-overridden':
      return entry(`freeze "${event.name}" overridden (${event.via})`, event.reason);
    case 'notes-compiled':
    case 'day-changed':
    case 'issue-closed':
    case 'wave-halted':
    case 'held':
    case 'hold-lifted':
    case 'deployment-started':
    case 'completed':
    case 'aborted':
    case 'continued-as-new':
      return undefined;
  }
}

/** The timeline with the events' entries added, the oldest dropped beyond TIMELINE_LIMIT. */
export function appendTimeline(timeline: Timeline, events: readonly ReleaseEvent[]): Timeline {
  const added = events.map(timelineEntry).filter((entry): entry is TimelineEntry => entry !== undefined);
  if (added.length === 0) return timeline;
  const entries = [...timeline.entries, ...added];
  const excess = entries.length - TIMELINE_LIMIT;
  return excess > 0
    ? { entries: entries.slice(excess), dropped: timeline.dropped + excess }
    : { entries, dropped: timeline.dropped };
}
