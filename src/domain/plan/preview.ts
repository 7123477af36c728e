/**
 * The plan of a release: which accounts go in which wave, from which version to which, and when,
 * with the delays that freezes, maintenance windows, bakes and concurrency cause. A pure
 * simulation of the runbook the release follows (staged-release.ts): wave 0 right away, wave 1 at
 * Day 1, wave 2 at Day 3 and a full stage after wave 1's last swap; in each wave at most
 * `concurrency` swaps at once, none starting inside a freeze, a major swap running inside its
 * account's maintenance window. The same function answers the `plan` query of a running release
 * (accounts already done keep their outcome) and `npm run plan`'s dry run.
 */
import type { ReleaseKind } from '../primitives';

export type PlanWave = 0 | 1 | 2;

export interface PlanAccount {
  accountId: string;
  wave: PlanWave;
  /** The version the account runs, as far as is known (null: not known yet). */
  from: string | null;
  /** done: its swap in this release ended (then `outcome`); deploying: in flight since `startedAt`. */
  state?: 'pending' | 'deploying' | 'done';
  outcome?: string;
  /** Announced window for a major upgrade (epoch ms). */
  maintenanceWindow?: { start: number; end: number };
}

/** Where the next freeze-free moment is, at or after `at`, and the freeze that pushed it there. */
export type FreeMoment = (at: number) => { at: number; freeze?: { id: string; name: string } };

export interface PlanInput {
  releaseId: string;
  version: string;
  kind: ReleaseKind;
  /** Day 1 and the stage length (Day 2 = +1, Day 3 = +2 stages). */
  schedule: { startAt: number; stageLength: number };
  concurrency: Record<PlanWave, number>;
  /** How long one swap is expected to take (see estimateSwapMs). */
  swapMs: number;
  accounts: readonly PlanAccount[];
  /** The freeze calendar: the first moment no freeze forbids a swap. Default: never frozen. */
  freeAt?: FreeMoment;
  /** Waves already over in a running release (their pending accounts are not planned again). */
  wavesOver?: readonly PlanWave[];
  /** When the last wave-1 swap finished (wave 2 bakes a full stage after it). */
  lastWaveOneFinishedAt?: number;
  /** Whether accounts' maintenance windows are known (a major swap without one is then blocked). */
  windowsKnown?: boolean;
  /** Why the release waits for on-call now (held, paused); the times assume it goes on now. */
  waitingFor?: string;
  now: number;
}

export type DelayCause = 'freeze' | 'concurrency' | 'maintenance-window' | 'bake' | 'wave-0';

export interface PlannedAccount {
  accountId: string;
  wave: PlanWave;
  from: string | null;
  to: string;
  /** When its swap is expected to start (epoch ms); absent for accounts already done. */
  startsAt?: number;
  endsAt?: number;
  /** What pushed the start past its wave's start. */
  delays?: Array<{ cause: DelayCause; detail: string }>;
  /** For accounts done or in flight: what happened so far. */
  state?: 'deploying' | 'done';
  outcome?: string;
  /** A major upgrade this account cannot get: no usable maintenance window. */
  blocked?: string;
}

export interface PlannedWave {
  wave: PlanWave;
  title: string;
  accounts: number;
  /** Accounts by starting version: "2026.47.1 → 2026.48.0: 12". */
  transitions: Array<{ from: string | null; to: string; accounts: number }>;
  /** The wave's mark (Day 1, Day 3) before delays; undefined for wave 0 (runs at once). */
  scheduledAt?: number;
  startsAt?: number;
  endsAt?: number;
  delays: Array<{ cause: DelayCause; detail: string }>;
  done: number;
  blocked: number;
}

export interface ReleasePlan {
  releaseId: string;
  version: string;
  kind: ReleaseKind;
  generatedAt: number;
  swapEstimateMs: number;
  waitingFor?: string;
  waves: PlannedWave[];
  accounts: PlannedAccount[];
}

const TITLES: Record<PlanWave, string> = {
  0: 'wave 0: internal validation',
  1: 'wave 1 (Day 1): early access',
  2: 'wave 2 (Day 3): everyone else',
};

/** Fixed costs of one swap beyond its watch and warm blue: provisioning, readiness, checks, drain. */
export const SWAP_OVERHEAD_MS = 15_000;

/** The expected length of one swap from the strategy: the watch, blue kept warm, and the fixed costs. */
export function estimateSwapMs(strategy: { watch: { duration: number }; keepBlueWarm: number }): number {
  return strategy.watch.duration + strategy.keepBlueWarm + SWAP_OVERHEAD_MS;
}

const neverFrozen: FreeMoment = (at) => ({ at });

export function previewRelease(input: PlanInput): ReleasePlan {
  const freeAt = input.freeAt ?? neverFrozen;
  const stage = input.schedule.stageLength;
  const day1 = input.schedule.startAt;
  const day3 = day1 + 2 * stage;
  const over = new Set(input.wavesOver ?? []);
  const planned: PlannedAccount[] = [];
  const waves: PlannedWave[] = [];

  let previousEnd = input.now;
  let lastWaveOne = input.lastWaveOneFinishedAt;
  for (const wave of [0, 1, 2] as const) {
    const members = input.accounts.filter((account) => account.wave === wave);
    const delays: PlannedWave['delays'] = [];
    let mark: number | undefined;
    let earliest: number;
    if (wave === 0) earliest = input.now;
    else if (wave === 1) {
      mark = day1;
      earliest = Math.max(day1, previousEnd);
      if (waves[0].endsAt !== undefined && waves[0].endsAt > day1)
        delays.push({ cause: 'wave-0', detail: 'starts once wave 0 has validated the version' });
    } else {
      mark = day3;
      const baked = lastWaveOne === undefined ? day3 : Math.max(day3, lastWaveOne + stage);
      earliest = Math.max(baked, input.now);
      if (baked > day3) delays.push({ cause: 'bake', detail: `a full stage after wave 1's last swap` });
    }
    earliest = Math.max(earliest, input.now);
    const result = simulateWave(input, wave, members, earliest, over.has(wave), freeAt);
    planned.push(...result.accounts);
    delays.push(...result.delays);
    if (result.endsAt !== undefined) previousEnd = Math.max(previousEnd, result.endsAt);
    if (wave === 1 && result.endsAt !== undefined) lastWaveOne = Math.max(lastWaveOne ?? 0, result.endsAt);
    waves.push({
      wave,
      title: TITLES[wave],
      accounts: members.length,
      transitions: transitionsOf(members, input.version),
      ...(mark !== undefined ? { scheduledAt: mark } : {}),
      ...(result.startsAt !== undefined ? { startsAt: result.startsAt, endsAt: result.endsAt } : {}),
      delays,
      done: members.filter((account) => account.state === 'done').length,
      blocked: result.accounts.filter((account) => account.blocked).length,
    });
  }
  return {
    releaseId: input.releaseId,
    version: input.version,
    kind: input.kind,
    generatedAt: input.now,
    swapEstimateMs: input.swapMs,
    ...(input.waitingFor ? { waitingFor: input.waitingFor } : {}),
    waves,
    accounts: planned,
  };
}

interface WaveResult {
  accounts: PlannedAccount[];
  startsAt?: number;
  endsAt?: number;
  delays: PlannedWave['delays'];
}

/**
 * List scheduling with `concurrency` slots: each account in order takes the slot that frees first,
 * never before the wave's start, moved out of any freeze; a major swap then waits for its window
 * in its slot (the child is started and waits, as blue-green.ts does).
 */
function simulateWave(
  input: PlanInput,
  wave: PlanWave,
  members: readonly PlanAccount[],
  earliest: number,
  waveOver: boolean,
  freeAt: FreeMoment,
): WaveResult {
  const slots: number[] = Array.from({ length: Math.max(1, input.concurrency[wave]) }, () => earliest);
  const accounts: PlannedAccount[] = [];
  const waveDelays = new Map<string, { cause: DelayCause; detail: string }>();
  let startsAt: number | undefined;
  let endsAt: number | undefined;

  for (const member of members) {
    const base = { accountId: member.accountId, wave, from: member.from, to: input.version };
    if (member.state === 'done' || (waveOver && member.state !== 'deploying')) {
      accounts.push({ ...base, state: 'done', ...(member.outcome ? { outcome: member.outcome } : {}) });
      continue;
    }
    const slot = earliestSlot(slots);
    if (member.state === 'deploying') {
      slots[slot] = Math.max(slots[slot], input.now + input.swapMs);
      accounts.push({ ...base, state: 'deploying', endsAt: slots[slot] });
      endsAt = Math.max(endsAt ?? 0, slots[slot]);
      continue;
    }
    const delays: NonNullable<PlannedAccount['delays']> = [];
    let at = slots[slot];
    if (at > earliest) delays.push({ cause: 'concurrency', detail: `waits for one of ${slots.length} slot(s)` });
    const free = freeAt(at);
    if (free.at > at) {
      const detail = `freeze "${free.freeze?.name ?? 'freeze'}" until ${new Date(free.at).toISOString()}`;
      delays.push({ cause: 'freeze', detail });
      waveDelays.set(`freeze:${free.freeze?.id ?? free.at}`, { cause: 'freeze', detail });
      at = free.at;
    }
    let runsAt = at;
    let blocked: string | undefined;
    if (input.kind === 'major' && input.windowsKnown) {
      const window = member.maintenanceWindow;
      if (!window) blocked = 'no maintenance window announced';
      else if (window.end <= at) blocked = `maintenance window ended ${new Date(window.end).toISOString()}`;
      else if (window.start > at) {
        runsAt = window.start;
        delays.push({ cause: 'maintenance-window', detail: `window opens ${new Date(window.start).toISOString()}` });
      }
    }
    const end = blocked ? at : runsAt + input.swapMs;
    slots[slot] = end;
    startsAt = Math.min(startsAt ?? at, at);
    endsAt = Math.max(endsAt ?? 0, end);
    accounts.push({
      ...base,
      startsAt: runsAt,
      endsAt: end,
      ...(delays.length ? { delays } : {}),
      ...(blocked ? { blocked } : {}),
    });
  }
  return { accounts, startsAt, endsAt, delays: [...waveDelays.values()] };
}

function earliestSlot(slots: number[]): number {
  let best = 0;
  for (let i = 1; i < slots.length; i++) if (slots[i] < slots[best]) best = i;
  return best;
}

function transitionsOf(members: readonly PlanAccount[], to: string): PlannedWave['transitions'] {
  const counts = new Map<string | null, number>();
  for (const member of members) counts.set(member.from, (counts.get(member.from) ?? 0) + 1);
  return [...counts].map(([from, accounts]) => ({ from, to, accounts }));
}
