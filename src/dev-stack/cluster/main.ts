/**
 * `npm run cluster`: docker-compose.yml's production-like topology on this machine, without Docker.
 * PostgreSQL (its own data folder under .data/cluster, its own port), the Temporal server built from
 * its Go module at the compose image's version with its schemas migrated by temporal-sql-tool, the
 * default namespace and search attributes, the Temporal UI, the local fleet and two worker processes.
 * Ctrl-C stops all of it (workers first, PostgreSQL last); the next start reuses the data.
 */
import { createLogger } from '../../logging/logger';
import { ensureClusterTools, startCluster, type Cluster } from './cluster';
import { readClusterSettings, type ClusterSettings } from './settings';

async function main(): Promise<void> {
  const settings = readClusterSettings();
  const logger = createLogger(settings.logLevel, 'cluster');
  const tools = ensureClusterTools();

  // Ctrl-C while starting stops what has started once the current step ends; afterwards, everything.
  const aborted = new AbortController();
  const stopRequested = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (aborted.signal.aborted) return;
        logger.info({ signal }, 'stopping: workers first, then the fleet, the UI, Temporal and PostgreSQL');
        aborted.abort();
        resolve();
      });
    }
  });

  const cluster = await startCluster(settings, tools, logger, aborted.signal);
  for (const proc of [cluster.postgres, cluster.temporal(), cluster.ui, cluster.fleet, ...cluster.workers]) {
    void proc.exited.then((code) => {
      if (!aborted.signal.aborted) {
        logger.warn({ process: proc.name, code }, 'exited while the cluster runs; Ctrl-C stops the rest');
      }
    });
  }
  logger.info(
    {
      temporalAddress: cluster.address,
      ui: cluster.uiUrl,
      fleetUrl: cluster.fleetUrl,
      postgres: cluster.postgresUrl,
      initializedDatabase: cluster.initializedDatabase,
      schemas: cluster.schemas,
    },
    'ready',
  );
  printBanner(cluster, settings);
  await stopRequested;
  await cluster.stop();
  logger.info('stopped; nothing left running');
}

function printBanner(cluster: Cluster, settings: ClusterSettings): void {
  const pids = (procs: { child: { pid?: number } }[]) => procs.map((proc) => proc.child.pid).join(', ');
  const lines = [
    '',
    '  Staged Release is running on a production-like stack (Temporal on PostgreSQL, no Docker).',
    `    Temporal UI     ${cluster.uiUrl}`,
    `    Temporal        ${cluster.address}   namespace: ${settings.namespace}   task queue: ${settings.taskQueue}`,
    `    Workers         ${cluster.workers.length} processes (pids ${pids(cluster.workers)})`,
    `    Fleet API       ${cluster.fleetUrl}/accounts${settings.fleetToken ? '   (bearer token: your FLEET_TOKEN)' : ''}`,
    `    PostgreSQL      ${cluster.postgresUrl}   (and temporal_visibility)`,
    `    Data            ${settings.dataDir}   (${cluster.initializedDatabase ? 'created now' : 'reused'})`,
    `    Server config   ${cluster.serverConfigFile}`,
    '',
    '  Start a release (in another terminal):',
    `    TEMPORAL_ADDRESS=${cluster.address} TEMPORAL_UI_URL=${cluster.uiUrl} FLEET_URL=${cluster.fleetUrl} npm run demo` +
      (settings.fleetToken ? '   (with the same FLEET_TOKEN exported)' : ''),
    '  or with the Temporal CLI:',
    `    temporal workflow start --address ${cluster.address} --type stagedRelease --task-queue ${settings.taskQueue} \\`,
    `      --workflow-id release-2026-47 --input '{"releaseId":"2026-47","version":"2026.47.0","schedule":{"stageLength":"30 seconds"}}'`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(`npm run cluster failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
