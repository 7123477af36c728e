import path from 'node:path';
import type { Logger } from '../../logging/logger';
import type { ManagedProcess } from '../child-process';
import { startLocalFleet } from '../local-fleet';
import { runToolScript } from '../tool-scripts';
import { startPostgres } from './postgres';
import { prepareTemporalDatabases, type SchemaReport } from './schema';
import { writeServerConfig } from './server-config';
import { clusterPaths, type ClusterSettings } from './settings';
import { registerNamespaceAndSearchAttributes, startTemporalServer } from './temporal-server';
import { startUiServer } from './ui-server';
import { startWorkerProcess, waitForPollers } from './workers';

export interface ClusterTools {
  postgresBinDir: string;
  /** Holds temporal-server and temporal-sql-tool. */
  temporalServerDir: string;
  uiServer: string;
}

/** Finds or builds every program the cluster runs (scripts/ensure-*.sh; cached after the first build). */
export function ensureClusterTools(): ClusterTools {
  return {
    postgresBinDir: runToolScript('ensure-postgres.sh'),
    temporalServerDir: runToolScript('ensure-temporal-server.sh'),
    uiServer: runToolScript('ensure-temporal-ui-server.sh'),
  };
}

export interface Cluster {
  address: string;
  uiUrl: string;
  fleetUrl: string;
  postgresUrl: string;
  serverConfigFile: string;
  /** True when this start created the PostgreSQL cluster; false when it reused the data folder. */
  initializedDatabase: boolean;
  schemas: SchemaReport[];
  /** Runs one SQL statement on the cluster's PostgreSQL (psql, unaligned output). */
  queryPostgres(database: string, sql: string): string;
  postgres: ManagedProcess;
  /** The current server process (a new one after restartTemporal). */
  temporal(): ManagedProcess;
  ui: ManagedProcess;
  fleet: ManagedProcess;
  workers: ManagedProcess[];
  /** Stops the Temporal server and starts it again on the same database and ports. */
  restartTemporal(): Promise<void>;
  /** Workers first, then the fleet, the UI, Temporal and PostgreSQL; nothing is left running. */
  stop(): Promise<void>;
}

/** How long each kind of process gets to stop on its own before it is killed. */
const STOP_GRACE_MS: Record<string, number> = { 'temporal-server': 30_000, postgres: 30_000 };
// Workers: above their shutdownForceTime (30 s), so a slow graceful shutdown still ends on its own.
const WORKER_STOP_GRACE_MS = 40_000;

/**
 * The production-like topology on this machine, in order: PostgreSQL, its schemas, the Temporal
 * server, namespace and search attributes, the UI, the fleet, the workers. A failure, or `abort`
 * firing, stops whatever had started before the error is thrown.
 */
export async function startCluster(
  settings: ClusterSettings,
  tools: ClusterTools,
  logger: Logger,
  abort?: AbortSignal,
): Promise<Cluster> {
  const paths = clusterPaths(settings.dataDir);
  const { ports } = settings;
  const address = `127.0.0.1:${ports.temporal.frontend}`;
  const started: ManagedProcess[] = [];
  const checkNotAborted = () => {
    if (abort?.aborted) throw new Error('stopped while starting');
  };
  const launch = async (start: () => Promise<ManagedProcess>) => {
    checkNotAborted();
    const proc = await start();
    started.push(proc);
    return proc;
  };
  const stopStarted = async () => {
    for (const proc of [...started].reverse()) {
      logger.info({ process: proc.name }, 'stopping');
      const isWorker = proc.name.startsWith('worker-');
      await proc.stop(isWorker ? WORKER_STOP_GRACE_MS : (STOP_GRACE_MS[proc.name] ?? 10_000), signalFor(proc));
    }
    started.length = 0;
  };

  try {
    checkNotAborted();
    const postgres = await startPostgres(
      { binDir: tools.postgresBinDir, dataDir: paths.postgresData, port: ports.postgres },
      logger,
    );
    started.push(postgres.process);
    checkNotAborted();
    const sqlTool = path.join(tools.temporalServerDir, 'temporal-sql-tool');
    const schemas = await prepareTemporalDatabases(sqlTool, postgres, ports.postgres, logger);
    writeServerConfig(paths.temporalConfig, {
      postgresPort: ports.postgres,
      ports: ports.temporal,
      dynamicConfigFile: paths.dynamicConfig,
    });
    const serverSettings = { serverDir: tools.temporalServerDir, configFile: paths.temporalConfig, address };
    let temporal = await launch(() => startTemporalServer(serverSettings, logger));
    checkNotAborted();
    await registerNamespaceAndSearchAttributes(address, settings.namespace, logger);
    const ui = await launch(() =>
      startUiServer(
        {
          binary: tools.uiServer,
          configFile: paths.uiConfig,
          temporalAddress: address,
          namespace: settings.namespace,
          port: ports.ui,
        },
        logger,
      ),
    );
    checkNotAborted();
    const fleet = await startLocalFleet(
      { port: ports.fleet, seed: settings.fleetSeed, token: settings.fleetToken },
      logger,
    );
    started.push(fleet.process);
    const workerSettings = {
      address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      fleetUrl: fleet.url,
      fleetToken: settings.fleetToken,
      logLevel: settings.logLevel,
    };
    const workers: ManagedProcess[] = [];
    for (let n = 1; n <= settings.workers; n++) {
      workers.push(await launch(async () => startWorkerProcess(n, workerSettings, logger)));
    }
    checkNotAborted();
    await waitForPollers(workers, workerSettings);

    return {
      address,
      uiUrl: `http://localhost:${ports.ui}`,
      fleetUrl: fleet.url,
      postgresUrl: `postgresql://temporal:temporal@127.0.0.1:${ports.postgres}/temporal`,
      serverConfigFile: paths.temporalConfig,
      initializedDatabase: postgres.initialized,
      schemas,
      queryPostgres: postgres.query,
      postgres: postgres.process,
      temporal: () => temporal,
      ui,
      fleet: fleet.process,
      workers,
      async restartTemporal() {
        logger.info({ process: temporal.name }, 'restarting');
        await temporal.stop(STOP_GRACE_MS['temporal-server']);
        const restarted = await startTemporalServer(serverSettings, logger);
        started.splice(started.indexOf(temporal), 1, restarted);
        temporal = restarted;
      },
      stop: stopStarted,
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/** PostgreSQL's fast shutdown is SIGINT (SIGTERM waits for every client to disconnect). */
function signalFor(proc: ManagedProcess): NodeJS.Signals {
  return proc.name === 'postgres' ? 'SIGINT' : 'SIGTERM';
}
