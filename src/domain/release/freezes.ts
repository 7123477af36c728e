/**
 * A release and the freeze calendar: the calendar it read (at planning and before each wave),
 * the freeze it waits on, and the occurrences on-call overrode. Each change is a transition.
 * No swap of a wave starts inside a freeze; swaps in flight finish, and reverts (an abort's
 * rollback, a compensation) run whatever the calendar says.
 */
import { freezeAt, nextFreezeStart, type Freeze, type FreezeCalendar } from '../freeze/calendar';
import type { Via } from './events';
import { emit, unchanged, type ReleaseStatus, type Transition } from './status';
import { iso } from './timeline';

export interface FreezeOverride {
  freezeId: string;
  name: string;
  reason: string;
  at: number;
}

/** Kept in the release status (absent in releases started before freeze windows). */
export interface ReleaseFreezes {
  calendar: FreezeCalendar;
  readAt: number;
  overrides: FreezeOverride[];
  /** The freeze the release's swaps wait on now. */
  waitingOn?: Freeze;
}

/** An override is taken for a freeze in force, or one that begins within this time. */
export const OVERRIDE_AHEAD_MS = 60 * 60_000;

function overriddenIds(status: ReleaseStatus): ReadonlySet<string> {
  return new Set((status.freeze?.overrides ?? []).map((override) => override.freezeId));
}

/** The freeze in force now that holds new swaps, or undefined. */
export function freezeInForce(status: ReleaseStatus, now: number): Freeze | undefined {
  return status.freeze && freezeAt(status.freeze.calendar, now, overriddenIds(status));
}

/** The next freeze to begin after now (not overridden), or undefined. */
export function nextFreeze(status: ReleaseStatus, now: number): Freeze | undefined {
  return status.freeze && nextFreezeStart(status.freeze.calendar, now, overriddenIds(status));
}

/** What `overrideFreeze` would override now: the freeze in force, else one that begins within OVERRIDE_AHEAD_MS. */
export function freezeToOverride(status: ReleaseStatus, now: number): Freeze | undefined {
  const inForce = freezeInForce(status, now);
  if (inForce) return inForce;
  const next = nextFreeze(status, now);
  return next && next.start - now <= OVERRIDE_AHEAD_MS ? next : undefined;
}

/** The calendar as read now; an event only when it differs from the one the release had. */
export function freezeCalendarRead(status: ReleaseStatus, calendar: FreezeCalendar, now: number): Transition {
  const before = status.freeze;
  const freeze: ReleaseFreezes = { overrides: [], ...before, calendar, readAt: now };
  if (before && JSON.stringify(before.calendar) === JSON.stringify(calendar)) return emit(status, { freeze }, now, []);
  if (!before && calendar.freezes.length === 0) return emit(status, { freeze }, now, []);
  return emit(status, { freeze }, now, [
    { type: 'freeze-calendar-read', rules: calendar.freezes.map((rule) => rule.name) },
  ]);
}

/** The release's new swaps wait on this freeze until it ends (or is overridden). */
export function enterFreeze(status: ReleaseStatus, freeze: Freeze, now: number): Transition {
  if (!status.freeze || status.freeze.waitingOn?.id === freeze.id) return unchanged(status);
  return emit(status, { freeze: { ...status.freeze, waitingOn: freeze } }, now, [
    { type: 'freeze-entered', freezeId: freeze.id, name: freeze.name, until: freeze.end },
  ]);
}

/** The release's swaps no longer wait on the freeze: it ended, on-call overrode it, or the wave stopped. */
export function leaveFreeze(status: ReleaseStatus, now: number): Transition {
  const waitingOn = status.freeze?.waitingOn;
  if (!status.freeze || !waitingOn) return unchanged(status);
  const by = overriddenIds(status).has(waitingOn.id) ? 'override' : now >= waitingOn.end ? 'ended' : 'wave-stopped';
  return emit(status, { freeze: { ...status.freeze, waitingOn: undefined } }, now, [
    { type: 'freeze-left', freezeId: waitingOn.id, name: waitingOn.name, by },
  ]);
}

/** On-call lets the release go on through the freeze in force (or about to begin). */
export function overrideFreeze(status: ReleaseStatus, reason: string, now: number, via: Via): Transition {
  const freeze = freezeToOverride(status, now);
  if (!status.freeze || !freeze) return unchanged(status);
  const override: FreezeOverride = { freezeId: freeze.id, name: freeze.name, reason, at: now };
  return emit(status, { freeze: { ...status.freeze, overrides: [...status.freeze.overrides, override] } }, now, [
    { type: 'freeze-overridden', freezeId: freeze.id, name: freeze.name, until: freeze.end, reason, via },
  ]);
}

/** The refusal of an override, or undefined when there is a freeze to override. */
export function whyNoFreezeToOverride(status: ReleaseStatus, now: number): string | undefined {
  if (freezeToOverride(status, now)) return undefined;
  const next = nextFreeze(status, now);
  return `overrideFreeze: no freeze is in force for release ${status.releaseId} or begins within the hour${
    next ? ` (next: freeze "${next.name}" at ${iso(next.start)})` : ''
  }; nothing to override`;
}

/** `freeze "year-end" until 2027-01-04T00:00:00.000Z`: the wait's summary and the status line. */
export function describeFreeze(freeze: Freeze): string {
  return `freeze "${freeze.name}" until ${iso(freeze.end)}`;
}
