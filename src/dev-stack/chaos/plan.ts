/**
 * The schedule of a chaos run, drawn from its seed before anything starts: the same seed and
 * options give the same plan. Moments are offsets from the release's start.
 *
 * Timed faults (server kills, fleet outages) start within the window in which the release cannot
 * have finished yet: wave 2 cannot start before Day 3 (two stage lengths), and every swap ends
 * with calls to the fleet, so a release is still running when an outage or a kill starts in that
 * window (short outages may also fall after the long one, which holds the release up in turn).
 * Worker kills are planned as uptimes: each worker is killed a random time after it polls.
 */
import type { ChaosOptions } from './options';
import { createPrng, type Prng } from './prng';

export interface PlannedOutage {
  kind: 'short' | 'long';
  atMs: number;
  durationMs: number;
}

export interface FaultPlan {
  seed: number;
  /** The wave-2 account whose router carries the steady load. */
  loadAccount: string;
  /** The wave-2 account one of whose blue instances crashes after its green was promoted. */
  engineCrashAccount?: string;
  /** How long each worker runs after it polls before it is killed, in order. */
  workerUptimesMs: number[];
  serverKills: { atMs: number; downtimeMs: number }[];
  /** Sorted by start; they never overlap. */
  outages: PlannedOutage[];
}

export interface PlanAccount {
  accountId: string;
  earlyAccess: boolean;
  /** Internal accounts are wave 0, never wave 2. */
  internal?: boolean;
}

/** Least time between two outages, so each is a fault of its own. */
const OUTAGE_GAP_MS = 2_000;

export function planFaults(seed: number, options: ChaosOptions, accounts: PlanAccount[]): FaultPlan {
  const prng = createPrng(seed);
  const waveTwo = accounts
    .filter((account) => !account.earlyAccess && !account.internal)
    .map((account) => account.accountId);
  if (waveTwo.length < 2) throw new Error('the chaos run needs at least two wave-2 accounts (load and engine crash)');
  const loadAccount = prng.pick(waveTwo);
  const engineCrashAccount =
    options.engineCrashes > 0 ? prng.pick(waveTwo.filter((id) => id !== loadAccount)) : undefined;

  const workerUptimesMs = Array.from({ length: options.workerKills }, () =>
    prng.int(options.workerUptimeMin, options.workerUptimeMax),
  );

  const window = 2 * options.stageLength;
  const serverKills = Array.from({ length: options.serverKills }, () => ({
    atMs: prng.int(Math.round(0.2 * window), Math.round(0.9 * window)),
    downtimeMs: options.serverDowntime,
  })).sort((a, b) => a.atMs - b.atMs);

  return {
    seed,
    loadAccount,
    ...(engineCrashAccount ? { engineCrashAccount } : {}),
    workerUptimesMs,
    serverKills,
    outages: planOutages(prng, options, window),
  };
}

function planOutages(prng: Prng, options: ChaosOptions, window: number): PlannedOutage[] {
  const outages: PlannedOutage[] = [];
  if (options.longOutage > 0) {
    outages.push({
      kind: 'long',
      atMs: prng.int(Math.round(0.1 * window), Math.round(0.6 * window)),
      durationMs: options.longOutage,
    });
  }
  const latestStart = window + options.longOutage;
  for (let n = 0; n < options.shortOutages; n++) {
    const outage: PlannedOutage = { kind: 'short', atMs: 0, durationMs: options.shortOutage };
    outage.atMs = freeSlot(prng, outages, options.shortOutage, 1_000, latestStart);
    outages.push(outage);
  }
  return outages.sort((a, b) => a.atMs - b.atMs);
}

/** A random start in [from, to] that keeps OUTAGE_GAP_MS from every planned outage; else right after the last. */
function freeSlot(prng: Prng, planned: PlannedOutage[], durationMs: number, from: number, to: number): number {
  const clashes = (atMs: number) =>
    planned.some(
      (other) => atMs < other.atMs + other.durationMs + OUTAGE_GAP_MS && other.atMs < atMs + durationMs + OUTAGE_GAP_MS,
    );
  for (let attempt = 0; attempt < 200; attempt++) {
    const atMs = prng.int(from, Math.max(from, to));
    if (!clashes(atMs)) return atMs;
  }
  return Math.max(from, ...planned.map((other) => other.atMs + other.durationMs + OUTAGE_GAP_MS));
}
