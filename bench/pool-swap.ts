/**
 * Zero-downtime check of the blue-green pool swap, as a benchmark that prints JSON.
 *
 *   tsx bench/pool-swap.ts [--mode process|lightweight] [--duration 12s] [--swap-at 4s]
 *                          [--connections 20] [--rate N] [--instances 2] [--accounts 0]
 *
 * Starts a fleet daemon in this process, drives steady load at one account's router (autocannon),
 * and in the middle swaps the whole pool from version A to version B the way the blue-green
 * workflow does: provision B, wait until ready, switch the pool, drain A until it has stopped.
 * Reports requests, failed requests by cause, and latency percentiles before, during and after
 * the swap. `--accounts N` (best with --mode lightweight) boots N more idle accounts first and
 * reports the memory they take.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DurationSchema as Duration } from '../src/domain/primitives';
import { startFleetDaemon, startLoad, type AccountSeedInput, type PhaseReport } from '@staged-release/local-fleet';
import { DaemonFleetProvider } from '../src/platform/daemon-client';
import { sleep, waitFor } from '../test/harness/wait';
import { describeIssues } from '../src/domain/primitives';

const VERSION_A = '2026.46.0';
const VERSION_B = '2026.47.0';
const ACCOUNT = 'bench';

const ArgsSchema = z.object({
  mode: z.enum(['process', 'lightweight']).default('process'),
  duration: Duration.default(12_000),
  swapAt: Duration.default(4_000),
  connections: z.coerce.number().int().min(1).max(1000).default(20),
  rate: z.coerce.number().positive().optional(),
  instances: z.coerce.number().int().min(1).max(10).default(2),
  accounts: z.coerce.number().int().min(0).max(20_000).default(0),
});

function readArgs() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      duration: { type: 'string' },
      'swap-at': { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      instances: { type: 'string' },
      accounts: { type: 'string' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse({ ...values, swapAt: values['swap-at'] });
  if (!parsed.success) throw new Error(`invalid arguments: ${describeIssues(parsed.error, 'arguments')}`);
  return parsed.data;
}

function phaseFigures(phase: PhaseReport | undefined) {
  if (!phase) return null;
  return {
    requests: phase.requests,
    failed: phase.failed,
    failuresByCause: phase.failuresByCause,
    p50Ms: phase.latencyMs.p50,
    p90Ms: phase.latencyMs.p90,
    p99Ms: phase.latencyMs.p99,
    maxMs: phase.latencyMs.max,
  };
}

async function main(): Promise<void> {
  const args = readArgs();
  const idleAccounts: AccountSeedInput[] = Array.from({ length: args.accounts }, (_, i) => ({
    accountId: `idle-${String(i).padStart(5, '0')}`,
    useCases: ['fraud-score'],
    instanceCount: 1 + (i % 2),
    currentVersion: VERSION_A,
  }));

  const heapBefore = process.memoryUsage();
  const bootStarted = Date.now();
  const daemon = await startFleetDaemon({
    mode: args.mode,
    logLevel: 'warn',
    seed: {
      versions: [
        { version: VERSION_A, initMs: args.mode === 'process' ? 300 : 50 },
        { version: VERSION_B, initMs: args.mode === 'process' ? 300 : 50 },
      ],
      accounts: [
        {
          accountId: ACCOUNT,
          earlyAccess: true,
          useCases: ['fraud-score', 'credit-limit'],
          instanceCount: args.instances,
          currentVersion: VERSION_A,
        },
        ...idleAccounts,
      ],
    },
  });
  const bootMs = Date.now() - bootStarted;
  const fleet = new DaemonFleetProvider(daemon.url);

  let load: ReturnType<typeof startLoad> | undefined;
  try {
    let scale: Record<string, number> | undefined;
    if (args.accounts > 0) {
      global.gc?.();
      const after = process.memoryUsage();
      const instances = (await fleet.inventory()).length;
      scale = {
        accounts: args.accounts + 1,
        instances,
        bootMs,
        heapUsedMB: Math.round(after.heapUsed / 2 ** 20),
        rssMB: Math.round(after.rss / 2 ** 20),
        heapBytesPerAccount: Math.round((after.heapUsed - heapBefore.heapUsed) / (args.accounts + 1)),
      };
    }

    const before = await fleet.accountState(ACCOUNT);
    const blue = before.pool.map((instance) => instance.instanceId);
    load = startLoad({
      url: before.routerUrl,
      durationMs: args.duration,
      connections: args.connections,
      rate: args.rate,
      useCases: ['fraud-score', 'credit-limit'],
      firstPhase: 'before',
    });

    await sleep(args.swapAt);
    load.mark('during');
    const swapStarted = Date.now();
    const green = (
      await fleet.provision({ accountId: ACCOUNT, version: VERSION_B, count: args.instances, requestId: 'bench-swap' })
    ).map((instance) => instance.instanceId);
    await waitFor(
      'green readiness',
      async () => {
        const states = await fleet.instances(ACCOUNT, green);
        return states.every((instance) => instance.ready) ? true : undefined;
      },
      30_000,
    );
    const readyAt = Date.now();
    await fleet.setPool(ACCOUNT, green);
    const switchedAt = Date.now();
    await fleet.drain(ACCOUNT, blue, 10_000);
    await waitFor(
      'blue to stop',
      async () => {
        const states = await fleet.instances(ACCOUNT, blue);
        return states.every((instance) => instance.state === 'stopped') ? true : undefined;
      },
      30_000,
    );
    const drainedAt = Date.now();
    load.mark('after');

    const report = await load.done;
    const routerStats = (await (await fetch(`${daemon.url}/accounts/${ACCOUNT}/router`)).json()) as { retried: number };
    const result = {
      mode: args.mode,
      connections: args.connections,
      rate: args.rate ?? null,
      durationMs: report.durationMs,
      requests: report.requests,
      failed: report.failed,
      failuresByCause: report.failuresByCause,
      requestsPerSecond: report.requestsPerSecond,
      before: phaseFigures(report.phases.before),
      during: phaseFigures(report.phases.during),
      after: phaseFigures(report.phases.after),
      swap: {
        from: VERSION_A,
        to: VERSION_B,
        instances: args.instances,
        provisionToReadyMs: readyAt - swapStarted,
        poolSwitchMs: switchedAt - readyAt,
        drainMs: drainedAt - switchedAt,
        totalMs: drainedAt - swapStarted,
        routerRetries: routerStats.retried,
      },
      ...(scale ? { scale } : {}),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const leftovers = (await fleet.inventory()).filter((instance) => blue.includes(instance.instanceId));
    if (leftovers.length > 0)
      throw new Error(`blue instances still running after the drain: ${leftovers.map((i) => i.instanceId).join(', ')}`);
  } finally {
    // Also when a swap threw half-way: the load must not outlive the bench.
    load?.stop();
    await daemon.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
