import path from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { readAppEnv, workerMetricsAddress } from './config/env';
import { freezeCalendarSource, type FreezeCalendarSource } from './config/freeze-calendar';
import { readNotifyConfig } from './config/notify';
import { sinksFromConfig } from './notify/sinks';
import type { NotificationSink } from './notify/sink';
import { APP_METRICS, ROLLBACK_TIME_BUCKETS_MS } from './domain/metrics';
import { readTemporalConnection } from './config/temporal-connection';
import { DaemonFleetProvider } from './platform/daemon-client';
import type { FleetProvider } from './platform/provider';
import { createLogger, type Logger } from './logging/logger';
import { pinoRuntimeLogger } from './logging/temporal-runtime-logger';
import { makeCurrent, type DeploymentVersion } from './versioning/current-version';
import { prepareWorker } from './versioning/worker-version';

export interface StagedReleaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  fleet: FleetProvider;
  logger: Logger;
  /** Where release notifications go; none: releases notify nothing. */
  notifySinks?: readonly NotificationSink[];
  maxConcurrentActivityTaskExecutions?: number;
  /** A prebuilt bundle instead of bundling src/workflows at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The freeze calendar releases honour (FREEZE_CALENDAR); default: no freezes. */
  freezeCalendar?: FreezeCalendarSource;
  /** The Worker Deployment version this worker polls as; unversioned without it. */
  deployment?: DeploymentVersion;
}

export const WORKFLOWS_PATH = path.join(__dirname, 'workflows');
/** The same workflows with their versioning behaviours: what a versioned worker bundles. */
export const VERSIONED_WORKFLOWS_PATH = path.join(__dirname, 'workflows', 'versioned');
/** The checkout (or image directory) the worker runs from: its git commit names the build. */
export const REPO_DIR = path.join(__dirname, '..');

/** The staged-release worker: both workflows and every activity, bound to one fleet. */
export function createStagedReleaseWorker(options: StagedReleaseWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, fleet, logger, workflowBundle, deployment, notifySinks } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve(WORKFLOWS_PATH) }),
    activities: createActivities({ fleet, logger, freezeCalendar: options.freezeCalendar, notifySinks }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
    // Each workflow type declares its behaviour (src/workflows/versioned.ts). The default covers a run
    // begun before versioning whose first tasks replay without a version: it moves, as it did.
    ...(deployment
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true,
            version: deployment,
            defaultVersioningBehavior: 'PINNED',
          },
        }
      : {}),
    // In-flight activities get this long to finish on shutdown; they heartbeat, and a swap
    // interrupted here resumes on the next worker from its last completed step.
    shutdownGraceTime: '10s',
    // Never hang on shutdown, even when the server went away first.
    shutdownForceTime: '30s',
  });
}

/** The bundle's entry: with versioning behaviours for a versioned worker only (src/workflows/versioned.ts). */
export function workflowsPathFor(env: { WORKER_VERSIONING: 'on' | 'off' }): string {
  return require.resolve(env.WORKER_VERSIONING === 'on' ? VERSIONED_WORKFLOWS_PATH : WORKFLOWS_PATH);
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
  const notify = readNotifyConfig();
  const notifySinks = sinksFromConfig(notify);
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  if (notify.inbox === 'on') logger.warn('NOTIFY_INBOX=on has no effect here: the local inbox is part of npm start');
  const metricsAddress = workerMetricsAddress(env);
  installRuntime(logger, metricsAddress);
  const temporal = readTemporalConnection();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  const prepared = await prepareWorker(env, { workflowsPath: workflowsPathFor(env), repoDir: REPO_DIR }, logger);
  const worker = await createStagedReleaseWorker({
    ...prepared,
    connection,
    namespace: temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    fleet: new DaemonFleetProvider(env.FLEET_URL, { token: env.FLEET_TOKEN }),
    logger,
    notifySinks,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
    freezeCalendar: freezeCalendarSource(env.FREEZE_CALENDAR),
  });
  logger.info(
    {
      address: temporal.connectionOptions.address,
      namespace: temporal.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      fleetUrl: env.FLEET_URL,
      fleetAuth: env.FLEET_TOKEN ? 'bearer token' : 'none',
      metrics: metricsAddress ? `http://${metricsAddress}/metrics` : 'off',
      deployment: prepared.deployment ?? 'unversioned',
      notify: notifySinks.map((sink) => `${sink.name} ${sink.target}`),
    },
    'worker started',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down: finishing in-flight tasks');
      worker.shutdown();
    });
  }
  const running = worker.run(); // returns once shutdown() has let in-flight tasks finish
  try {
    if (prepared.deployment) {
      const mode = env.WORKER_SET_CURRENT ?? 'if-none';
      await makeCurrent(connection, temporal.namespace, prepared.deployment, mode, logger).catch((error: unknown) => {
        logger.error({ err: error }, 'could not make this build current; see README, "Updating the orchestrator"');
      });
    }
    await running;
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
