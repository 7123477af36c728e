/**
 * `npm start`: the whole system on this machine. Starts the Temporal dev server (SQLite file under
 * .data/, web UI, search attributes registered), the local fleet daemon with the demo accounts,
 * and the worker; Ctrl-C stops all three in reverse order. With TEMPORAL_ADDRESS set it uses that
 * cluster instead of a dev server; with FLEET_URL set it uses that fleet instead of starting one.
 */
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { boundedStep } from './dev-stack/bounded-step';
import { z } from 'zod';
import { freezeCalendarSource } from './config/freeze-calendar';
import { readNotifyConfig } from './config/notify';
import { NotificationInbox } from './notify/inbox';
import { sinksFromConfig } from './notify/sinks';
import { readAppEnv, readTrainCalendar, workerMetricsAddress } from './config/env';
import { connectFromEnv, type ConnectedClient } from './client';
import type { TrainCalendar } from './domain/train/calendar';
import { applyTrainSchedule } from './train/apply';
import { readTemporalConnection } from './config/temporal-connection';
import type { ManagedProcess } from './dev-stack/child-process';
import { printBanner } from './dev-stack/banner';
import { startStackBoard, type StackBoard } from './dev-stack/board';
import { startLocalFleet } from './dev-stack/local-fleet';
import { startTemporalDevServer } from './dev-stack/temporal-dev-server';
import { REPO_ROOT, runToolScript } from './dev-stack/tool-scripts';
import { DaemonFleetProvider } from './platform/daemon-client';
import { createLogger } from './logging/logger';
import { makeCurrent } from './versioning/current-version';
import { prepareWorker } from './versioning/worker-version';
import { createStagedReleaseWorker, installRuntime, workflowsPathFor } from './worker';

const StackEnvSchema = z.object({
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  FLEET_PORT: z.coerce.number().int().min(1).max(65535).default(7380),
  TEMPORAL_DEV_DB: z.string().default(path.join(REPO_ROOT, '.data', 'temporal', 'dev-server.sqlite')),
});

/** How long Ctrl-C waits for one closing step (a connection, the board) before it stops the processes anyway. */
const SHUTDOWN_STEP_MS = 5_000;

async function main(): Promise<void> {
  const env = readAppEnv();
  const notify = readNotifyConfig();
  // npm start keeps an inbox of notifications unless NOTIFY_INBOX=off; the board serves it at /inbox.
  const inbox = notify.inbox === 'off' ? undefined : new NotificationInbox();
  const trainCalendar = readTrainCalendar();
  const stack = StackEnvSchema.parse(process.env);
  const logger = createLogger(env.LOG_LEVEL, 'staged-release');
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    for (const proc of started.reverse()) {
      logger.info({ process: proc.name }, 'stopping');
      await proc.stop();
    }
  };

  let board: StackBoard | undefined;
  try {
    const useDevServer = !process.env.TEMPORAL_ADDRESS;
    let cliPath: string | undefined;
    if (useDevServer) {
      cliPath = runToolScript('ensure-temporal-cli.sh');
      process.env.TEMPORAL_ADDRESS = `127.0.0.1:${stack.TEMPORAL_DEV_PORT}`;
      started.push(
        await startTemporalDevServer(
          {
            cliPath,
            port: stack.TEMPORAL_DEV_PORT,
            uiPort: stack.TEMPORAL_UI_PORT,
            dbFile: stack.TEMPORAL_DEV_DB,
            namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
          },
          logger,
        ),
      );
    }
    const temporal = readTemporalConnection();

    let fleetUrl = env.FLEET_URL;
    if (!process.env.FLEET_URL) {
      const fleet = await startLocalFleet({ port: stack.FLEET_PORT, token: env.FLEET_TOKEN }, logger);
      started.push(fleet.process);
      fleetUrl = fleet.url;
    }

    const metricsAddress = workerMetricsAddress(env);
    installRuntime(logger, metricsAddress);
    const connection = await NativeConnection.connect(temporal.connectionOptions);
    const prepared = await prepareWorker(env, { workflowsPath: workflowsPathFor(env), repoDir: REPO_ROOT }, logger);
    const worker = await createStagedReleaseWorker({
      ...prepared,
      connection,
      namespace: temporal.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      fleet: new DaemonFleetProvider(fleetUrl, { token: env.FLEET_TOKEN }),
      logger,
      notifySinks: sinksFromConfig(notify, inbox),
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
      freezeCalendar: freezeCalendarSource(env.FREEZE_CALENDAR),
    });

    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping: worker first, then the fleet and the dev server');
        worker.shutdown();
      });
    }

    const ui = useDevServer ? `http://localhost:${stack.TEMPORAL_UI_PORT}` : "(your cluster's UI)";
    board = await startStackBoard(logger, useDevServer ? ui : 'http://localhost:8233', inbox);
    const announce = () => {
      logger.info(
        {
          temporalAddress: temporal.connectionOptions.address,
          namespace: temporal.namespace,
          taskQueue: env.TEMPORAL_TASK_QUEUE,
          ui,
          fleetUrl,
          deployment: prepared.deployment ?? 'unversioned',
        },
        'ready',
      );
      printBanner({
        ui,
        address: String(temporal.connectionOptions.address),
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        fleetUrl,
        cliPath,
        board: board?.url,
        inbox: board && inbox ? `${board.url}/inbox` : undefined,
        metrics: {
          worker: metricsAddress ? `http://${metricsAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/metrics` : undefined,
          fleet: `${fleetUrl}/metrics`,
        },
      });
    };

    // The dev stack's weekly release train; a failure to apply it is said, and the stack runs on.
    const applyDevTrainSchedule = async (calendar: TrainCalendar) => {
      let connected: ConnectedClient | undefined;
      try {
        connected = await connectFromEnv();
        await applyTrainSchedule(connected.client, { taskQueue: env.TEMPORAL_TASK_QUEUE, calendar }, logger);
      } catch (error) {
        logger.error({ err: error }, 'could not apply the release train schedule; see npm run train -- apply');
      } finally {
        await connected?.close();
      }
    };

    const running = worker.run();
    try {
      // One worker on one machine: its build becomes current, so releases started now run on it.
      // Pinned swaps of an earlier build need that build's worker (README, "Updating the orchestrator").
      // "Ready" is said once it is: a release started after the banner has a worker to run it.
      let current = true;
      if (prepared.deployment) {
        const mode = env.WORKER_SET_CURRENT ?? 'always';
        await makeCurrent(connection, temporal.namespace, prepared.deployment, mode, logger).catch((error: unknown) => {
          current = false;
          logger.error({ err: error }, 'could not make this build current; stopping');
          worker.shutdown();
        });
      }
      if (current && useDevServer && !stopping) await applyDevTrainSchedule(trainCalendar);
      if (current && !stopping) announce();
      await running;
    } catch (error) {
      // GracefulShutdownPeriodExpiredError: the worker gave up waiting; stop the rest anyway.
      logger.warn({ err: error }, 'worker did not shut down gracefully');
    }
    await boundedStep('closing the worker connection', connection.close(), SHUTDOWN_STEP_MS, logger);
  } finally {
    if (board) await boundedStep('stopping the release board', board.stop(), SHUTDOWN_STEP_MS, logger);
    await stopAll();
    logger.info('stopped; nothing left running');
  }
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
