/**
 * Zero downtime, measured end to end: one account's blue-green swap run by the real
 * `blueGreenDeployment` workflow (dev server + worker + fleet daemon with engine processes), under
 * steady load through the account's router, followed by one automatic rollback after promotion.
 * Prints one JSON object on stdout (logs, including the dev server's, go to stderr).
 *
 *   tsx bench/swap.ts [--rate 200] [--connections 8] [--baseline 5s] [--watch 5s] [--instances 2]
 *
 * Phases of the same load run: `baseline` (before anything), `swap` (2026.46.0 → 2026.47.0, from
 * start to the workflow's result), `rollback` (2026.47.0 → a version that slows down once
 * promoted: the watch breaches and traffic goes back to 2026.47.0).
 *
 * Output: requests and failed over the whole run; p50Ms/p99Ms during the swap; baselineP99Ms;
 * rollbackMs (from the watch detecting the breach to the pool back on blue, from the workflow's
 * result); and per phase details.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { swaps } from '../src/client';
import { DurationSchema as Duration } from '../src/domain/primitives';
import type { BlueGreenInput, DeploymentResult } from '../src/domain/deployment/swap';
import { startFleetDaemon, startLoad, type FleetDaemon, type PhaseReport } from '@staged-release/local-fleet';
import { DaemonFleetProvider } from '../src/platform/daemon-client';
import { startTemporalDevServer } from '../src/dev-stack/temporal-dev-server';
import { temporalCli } from '../test/harness/tools';
import { freePort } from '../test/harness/ports';

const ACCOUNT = 'bench-swap';
const BLUE = '2026.46.0';
const GREEN = '2026.47.0';
const SLOW = '2026.47.1-slow-after-promotion';
const USE_CASES = ['fraud-score', 'credit-limit'];

const ArgsSchema = z.object({
  rate: z.coerce.number().positive().max(5000).default(200),
  connections: z.coerce.number().int().min(1).max(200).default(8),
  baseline: Duration.default(5_000),
  watch: Duration.default(5_000),
  instances: z.coerce.number().int().min(1).max(10).default(2),
});

function readArgs() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      connections: { type: 'string' },
      baseline: { type: 'string' },
      watch: { type: 'string' },
      instances: { type: 'string' },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('\n'));
    process.exit(2);
  }
  return parsed.data;
}

function phase(report: PhaseReport | undefined) {
  if (!report) return undefined;
  return {
    requests: report.requests,
    failed: report.failed,
    failuresByCause: report.failuresByCause,
    p50Ms: report.latencyMs.p50,
    p99Ms: report.latencyMs.p99,
    maxMs: report.latencyMs.max,
  };
}

/** A free loopback port (the dev server and its UI need fixed ports). */
async function main(): Promise<void> {
  const args = readArgs();
  const logger = pino({ name: 'bench-swap', level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  // Ctrl-C is handled below (the dev server runs in its own process group and must be stopped).
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`[${entry.level}] ${entry.message}\n`)),
    shutdownSignals: [],
  });

  // A dev server of its own (output to stderr via the logger, so stdout carries only the JSON).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-swap-'));
  const port = await freePort();
  const server = await startTemporalDevServer(
    {
      cliPath: temporalCli(),
      port,
      uiPort: await freePort(),
      dbFile: path.join(dataDir, 'temporal.db'),
      namespace: 'default',
    },
    logger,
  );
  const address = `127.0.0.1:${port}`;
  let daemon: FleetDaemon | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`${signal}: stopping what the bench started\n`);
      void Promise.allSettled([daemon?.stop(), server.stop()]).then(() => process.exit(130));
    });
  }
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  let load: ReturnType<typeof startLoad> | undefined;
  try {
    nativeConnection = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: 'default' });
    daemon = await startFleetDaemon({
      mode: 'process',
      logger,
      stopGraceMs: 2_000,
      seed: {
        versions: [
          { version: BLUE, initMs: 300 },
          { version: GREEN, initMs: 300 },
          { version: SLOW, initMs: 300, fault: { type: 'slow-after-promotion', delayMs: 400 } },
        ],
        accounts: [{ accountId: ACCOUNT, useCases: USE_CASES, instanceCount: args.instances, currentVersion: BLUE }],
      },
    });
    const fleet = new DaemonFleetProvider(daemon.url);
    const taskQueue = 'bench-swap';
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      activities: createActivities({ fleet, logger }),
    });
    running = worker.run();

    const strategy = {
      readinessTimeout: '30 seconds',
      watch: { duration: args.watch, probesPerSecond: 10, maxErrorRate: 0.02, maxP99Ms: 250 },
      keepBlueWarm: '2 seconds',
      drainTimeout: '20 seconds',
    } satisfies BlueGreenInput['strategy'];
    const swap = async (version: string): Promise<{ result: DeploymentResult; ms: number }> => {
      const started = Date.now();
      const handle = await swaps.start(
        client,
        { accountId: ACCOUNT, version, strategy },
        { taskQueue, workflowId: `bench-${ACCOUNT}/${version}/${started}` },
      );
      const result = await handle.result();
      return { result, ms: Date.now() - started };
    };

    const { routerUrl } = await fleet.accountState(ACCOUNT);
    load = startLoad({
      url: routerUrl,
      durationMs: 3_600_000,
      connections: args.connections,
      rate: args.rate,
      useCases: USE_CASES,
      firstPhase: 'baseline',
      timeoutMs: 5_000,
    });
    await new Promise((resolve) => setTimeout(resolve, args.baseline));
    load.mark('swap');
    const promoted = await swap(GREEN);
    load.mark('rollback');
    const rolledBack = await swap(SLOW);
    load.mark('after');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    load.stop();
    const report = await load.done;

    const finalState = await fleet.accountState(ACCOUNT);
    const strays = (await fleet.inventory()).filter((i) => !i.inPool);
    const out = {
      requests: report.requests,
      failed: report.failed,
      p50Ms: report.phases.swap?.latencyMs.p50 ?? 0,
      p99Ms: report.phases.swap?.latencyMs.p99 ?? 0,
      baselineP99Ms: report.phases.baseline?.latencyMs.p99 ?? 0,
      rollbackMs: rolledBack.result.rollback?.rollbackMs ?? null,
      requestsPerSecond: report.requestsPerSecond,
      connections: args.connections,
      rate: args.rate,
      instances: args.instances,
      swap: {
        outcome: promoted.result.outcome,
        from: promoted.result.fromVersion,
        to: promoted.result.toVersion,
        workflowMs: promoted.ms,
        ...phase(report.phases.swap),
      },
      rollback: {
        outcome: rolledBack.result.outcome,
        failedStep: rolledBack.result.failedStep ?? null,
        reason: rolledBack.result.reason ?? null,
        detectedAt: rolledBack.result.rollback?.detectedAt ?? null,
        trafficOnBlueAt: rolledBack.result.rollback?.trafficOnBlueAt ?? null,
        workflowMs: rolledBack.ms,
        ...phase(report.phases.rollback),
      },
      baseline: phase(report.phases.baseline),
      after: phase(report.phases.after),
      final: { version: finalState.version, pool: finalState.pool.length, strays: strays.map((i) => i.instanceId) },
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    // Also when a swap threw half-way: the load must not outlive the bench.
    load?.stop();
    worker?.shutdown();
    await running?.catch(() => undefined);
    await daemon?.stop();
    await nativeConnection?.close();
    await connection?.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
