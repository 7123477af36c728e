/**
 * `npm start`: the whole system on this machine. Starts the Temporal dev server (SQLite file under
 * .data/, web UI, search attributes registered), the local fleet daemon with the demo accounts,
 * and the worker; Ctrl-C stops all three in reverse order. With TEMPORAL_ADDRESS set it uses that
 * cluster instead of a dev server; with FLEET_URL set it uses that fleet instead of starting one.
 */
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { readAppEnv, workerMetricsAddress } from './config/env';
import { readTemporalConnection } from './config/temporal-connection';
import type { ManagedProcess } from './dev-stack/child-process';
import { startBoard } from './board/server';
import { printBanner } from './dev-stack/banner';
import { Client, Connection } from '@temporalio/client';
import { startLocalFleet } from './dev-stack/local-fleet';
import { startTemporalDevServer } from './dev-stack/temporal-dev-server';
import { REPO_ROOT, runToolScript } from './dev-stack/tool-scripts';
import { DaemonFleetProvider } from './platform/daemon-client';
import { createLogger } from './logging/logger';
import { createStagedReleaseWorker, installRuntime } from './worker';

const StackEnvSchema = z.object({
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  FLEET_PORT: z.coerce.number().int().min(1).max(65535).default(7380),
  BOARD_PORT: z.coerce.number().int().min(1).max(65535).default(7390),
  TEMPORAL_DEV_DB: z.string().default(path.join(REPO_ROOT, '.data', 'temporal', 'dev-server.sqlite')),
});

async function main(): Promise<void> {
  const env = readAppEnv();
  const stack = StackEnvSchema.parse(process.env);
  const logger = createLogger(env.LOG_LEVEL, 'staged-release');
  const started: ManagedProcess[] = [];
  const stopAll = async () => {
    for (const proc of started.reverse()) {
      logger.info({ process: proc.name }, 'stopping');
      await proc.stop();
    }
  };

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
    const worker = await createStagedReleaseWorker({
      connection,
      namespace: temporal.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      fleet: new DaemonFleetProvider(fleetUrl, { token: env.FLEET_TOKEN }),
      logger,
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
    });

    // The release board: read-only, from Temporal only.
    const ui = useDevServer ? `http://localhost:${stack.TEMPORAL_UI_PORT}` : "(your cluster's UI)";
    const boardClient = new Client({
      connection: await Connection.connect(temporal.connectionOptions),
      namespace: temporal.namespace,
    });
    const board = await startBoard({
      client: boardClient,
      namespace: temporal.namespace,
      uiUrl: useDevServer ? ui : (process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233'),
      port: stack.BOARD_PORT,
      logger,
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

    logger.info(
      {
        temporalAddress: temporal.connectionOptions.address,
        namespace: temporal.namespace,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        ui,
        fleetUrl,
      },
      'ready',
    );
    printBanner({
      ui,
      address: String(temporal.connectionOptions.address),
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      fleetUrl,
      cliPath,
      board: board.url,
      metrics: {
        worker: metricsAddress ? `http://${metricsAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/metrics` : undefined,
        fleet: `${fleetUrl}/metrics`,
      },
    });

    try {
      await worker.run();
    } catch (error) {
      // GracefulShutdownPeriodExpiredError: the worker gave up waiting; stop the rest anyway.
      logger.warn({ err: error }, 'worker did not shut down gracefully');
    }
    await board.close();
    await boardClient.connection.close();
    await connection.close();
  } finally {
    await stopAll();
    logger.info('stopped; nothing left running');
  }
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
