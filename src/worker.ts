import path from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { readAppEnv, workerMetricsAddress } from './config/env';
import { APP_METRICS, ROLLBACK_TIME_BUCKETS_MS } from './domain/metrics';
import { readTemporalConnection } from './config/temporal-connection';
import { DaemonFleetProvider } from './platform/daemon-client';
import type { FleetProvider } from './platform/provider';
import { createLogger, type Logger } from './logging/logger';
import { pinoRuntimeLogger } from './logging/temporal-runtime-logger';

export interface StagedReleaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  fleet: FleetProvider;
  logger: Logger;
  maxConcurrentActivityTaskExecutions?: number;
  /** A prebuilt bundle instead of bundling src/workflows at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export const WORKFLOWS_PATH = path.join(__dirname, 'workflows');

/** The staged-release worker: both workflows and every activity, bound to one fleet. */
export function createStagedReleaseWorker(options: StagedReleaseWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, fleet, logger, workflowBundle, maxConcurrentActivityTaskExecutions } =
    options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve(WORKFLOWS_PATH) }),
    activities: createActivities({ fleet, logger }),
    maxConcurrentActivityTaskExecutions,
    // In-flight activities get this long to finish on shutdown; they heartbeat, and a swap
    // interrupted here resumes on the next worker from its last completed step.
    shutdownGraceTime: '10s',
    // Never hang on shutdown, even when the server went away first.
    shutdownForceTime: '30s',
  });
}

/**
 * Installs the Temporal runtime with its logs forwarded to pino; once per process. With
 * `metricsAddress` (host:port) it serves Prometheus metrics at http://<address>/metrics: the SDK
 * runtime's own (temporal_*: polls, task latencies, slots, ...) and the application's, which the
 * workflows and activities emit through the SDK's metric meter (src/domain/metrics.ts).
 */
export function installRuntime(logger: Logger, metricsAddress?: string): void {
  Runtime.install({
    logger: pinoRuntimeLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(metricsAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: metricsAddress,
                histogramBucketOverrides: { [APP_METRICS.rollbackTime]: ROLLBACK_TIME_BUCKETS_MS },
              },
            },
          }
        : {}),
    },
    // The caller decides the shutdown order (worker first, then the servers it needs).
    shutdownSignals: [],
  });
}

async function main(): Promise<void> {
  const env = readAppEnv();
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  const metricsAddress = workerMetricsAddress(env);
  installRuntime(logger, metricsAddress);
  const temporal = readTemporalConnection();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  const worker = await createStagedReleaseWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    fleet: new DaemonFleetProvider(env.FLEET_URL, { token: env.FLEET_TOKEN }),
    logger,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
  });
  logger.info(
    {
      address: temporal.connectionOptions.address,
      namespace: temporal.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      fleetUrl: env.FLEET_URL,
      fleetAuth: env.FLEET_TOKEN ? 'bearer token' : 'none',
      metrics: metricsAddress ? `http://${metricsAddress}/metrics` : 'off',
    },
    'worker started',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing in-flight tasks');
      worker.shutdown();
    });
  }
  try {
    await worker.run(); // returns once shutdown() has let in-flight tasks finish
  } finally {
    await connection.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
