/**
 * The fault runners of a chaos run. Each carries out its part of the plan on the run's clock
 * (time since the release started) and stops early once the release has ended (`until`).
 */
import { z } from 'zod';
import type { TcpProxy } from '../tcp-proxy';
import type { FaultLog } from './fault-log';
import type { FaultPlan } from './plan';
import type { RestartableServer } from './stack';
import { sleep, sleepUntil } from './time';
import type { WorkerSupervisor } from './worker-supervisor';

export interface RunClock {
  /** Milliseconds since the release started. */
  sinceRelease(): number;
  /** Aborted once the release has ended (or the run is stopped). */
  until: AbortSignal;
}

/** Each worker runs its planned uptime once it polls, then dies by SIGKILL; the supervisor starts the next. */
export async function runWorkerKills(plan: FaultPlan, workers: WorkerSupervisor, clock: RunClock): Promise<void> {
  const over = aborted(clock.until);
  for (const uptimeMs of plan.workerUptimesMs) {
    await Promise.race([workers.whenReady(), over]);
    await sleep(uptimeMs, clock.until);
    if (clock.until.aborted) return;
    await workers.kill(uptimeMs);
  }
}

/** SIGKILL of the dev server at its planned moments; started again on the same file and port after the downtime. */
export async function runServerKills(
  plan: FaultPlan,
  server: RestartableServer,
  clock: RunClock,
  faults: FaultLog,
): Promise<number> {
  let kills = 0;
  for (const planned of plan.serverKills) {
    await sleepUntil(planned.atMs, clock.sinceRelease, clock.until);
    if (clock.until.aborted) break;
    kills++;
    faults.write('server-kill', { n: kills, sinceReleaseMs: clock.sinceRelease(), downtimeMs: planned.downtimeMs });
    const killedAt = Date.now();
    await server.kill();
    // Not cut short: nothing can end the release while its server is down.
    await sleep(planned.downtimeMs);
    await server.restart();
    faults.write('server-restarted', { n: kills, downMs: Date.now() - killedAt });
  }
  return kills;
}

/** The worker's line to the fleet's control plane cut at the planned moments, for the planned time. */
export async function runFleetOutages(
  plan: FaultPlan,
  proxy: TcpProxy,
  clock: RunClock,
  faults: FaultLog,
): Promise<{ outages: number; outageMs: number }> {
  let outages = 0;
  let outageMs = 0;
  for (const planned of plan.outages) {
    await sleepUntil(planned.atMs, clock.sinceRelease, clock.until);
    if (clock.until.aborted) break;
    outages++;
    const cutAt = Date.now();
    proxy.cut();
    faults.write('fleet-outage', { n: outages, kind: planned.kind, plannedMs: planned.durationMs });
    try {
      await sleep(planned.durationMs, clock.until);
    } finally {
      proxy.restore();
    }
    outageMs += Date.now() - cutAt;
    faults.write('fleet-restored', { n: outages, outageMs: Date.now() - cutAt });
  }
  return { outages, outageMs };
}

const InventorySchema = z.object({
  instances: z.array(
    z.object({
      instanceId: z.string(),
      accountId: z.string(),
      version: z.string(),
      state: z.string(),
      inPool: z.boolean(),
      pid: z.number().int().positive().optional(),
    }),
  ),
});

/**
 * Crashes one engine instance of `plan.engineCrashAccount` mid-swap: a blue instance, after its
 * account's green has been promoted, while blue is kept warm outside the pool (during the watch
 * and keep-warm). Its death is an infrastructure event, not evidence against the new version:
 * green serves, the swap must still end promoted, and the drain must clean the dead instance up,
 * so the account ends on the target with nothing left behind. (A green instance's crash would be
 * evidence against green and rightly roll the swap back; a blue one in the pool before promotion
 * would only test the router, and the window between the canary and the promotion is too short
 * to hit on purpose.)
 */
export async function runEngineCrash(
  plan: FaultPlan,
  fleetUrl: string,
  targetVersion: string,
  clock: RunClock,
  faults: FaultLog,
): Promise<number> {
  const accountId = plan.engineCrashAccount;
  if (!accountId) return 0;
  while (!clock.until.aborted) {
    const victim = await warmBlueInstance(fleetUrl, accountId, targetVersion).catch(() => undefined);
    if (victim && killed(victim.pid)) {
      faults.write('engine-crash', { ...victim, accountId, sinceReleaseMs: clock.sinceRelease() });
      return 1;
    }
    await sleep(200, clock.until);
  }
  return 0;
}

/** A running blue instance outside the pool while the pool serves the target version, if there is one now. */
async function warmBlueInstance(
  fleetUrl: string,
  accountId: string,
  targetVersion: string,
): Promise<{ instanceId: string; version: string; pid: number } | undefined> {
  const response = await fetch(`${fleetUrl}/inventory`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return undefined;
  const instances = InventorySchema.parse(await response.json()).instances.filter((i) => i.accountId === accountId);
  const pool = instances.filter((instance) => instance.inPool);
  if (pool.length === 0 || pool.some((instance) => instance.version !== targetVersion)) return undefined;
  const blue = instances.find(
    (instance) => !instance.inPool && instance.version !== targetVersion && instance.state === 'ready' && instance.pid,
  );
  return blue?.pid ? { instanceId: blue.instanceId, version: blue.version, pid: blue.pid } : undefined;
}

/** False when the process was already gone (drained meanwhile): the next sighting is tried. */
function killed(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
