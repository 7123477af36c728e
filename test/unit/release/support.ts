import { planRelease } from '../../../src/domain/release/lifecycle';
import { newReleaseStatus, type ReleaseStatus, type Transition } from '../../../src/domain/release/status';
import type { ReleaseEvent } from '../../../src/domain/release/events';
import type { Wave } from '../../../src/domain/release/waves';

export const T0 = Date.parse('2026-11-23T09:00:00Z');
export const DAY = 86_400_000;

export const THREE_ACCOUNTS: Array<{ accountId: string; wave: Wave }> = [
  { accountId: 'acme', wave: 1 },
  { accountId: 'globex', wave: 1 },
  { accountId: 'hooli', wave: 2 },
];

/** A planned release (stage `scheduled`), Day 1 at T0, stages of a day. */
export function plannedRelease(accounts = THREE_ACCOUNTS, now = T0): ReleaseStatus {
  const planning = newReleaseStatus({
    releaseId: '2026-47',
    version: '2026.47.0',
    kind: 'minor',
    notes: [],
    schedule: { startAt: T0, stageLength: DAY },
    now,
  });
  return planRelease(planning, { accounts }, now).status;
}

/** Applies transitions one after the other, as the workflow does; keeps every event. */
export class Driver {
  readonly events: ReleaseEvent[] = [];
  constructor(public status: ReleaseStatus) {}

  apply(change: (status: ReleaseStatus) => Transition): ReleaseEvent[] {
    const { status, events } = change(this.status);
    this.status = status;
    this.events.push(...events);
    return events;
  }
}

/** Freezes a status all the way down: a transition that writes to it throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
