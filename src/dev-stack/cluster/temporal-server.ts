import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from '../../domain/search-attributes';
import type { Logger } from '../../logging/logger';
import { isPortInUse, startManagedProcess, waitUntil, waitUntilServing, type ManagedProcess } from '../child-process';

export interface TemporalServerSettings {
  /** The folder scripts/ensure-temporal-server.sh prints. */
  serverDir: string;
  /** The generated config: <root>/config/<env>.yaml, as the server looks for it. */
  configFile: string;
  address: string;
}

const ALREADY_EXISTS = 6; // gRPC status code
/** temporalio/auto-setup's default namespace retention. */
const RETENTION = '1 day';

/** Starts temporal-server (frontend, history, matching and worker in one process) and waits until it answers. */
export async function startTemporalServer(settings: TemporalServerSettings, logger: Logger): Promise<ManagedProcess> {
  const port = Number(settings.address.split(':').pop());
  if (await isPortInUse(port)) {
    throw new Error(
      `Port ${port} (Temporal) is already in use. Is 'npm start' or another 'npm run cluster' running? Stop it, or set CLUSTER_TEMPORAL_PORT.`,
    );
  }
  const configDir = path.dirname(settings.configFile);
  const server = startManagedProcess(
    'temporal-server',
    path.join(settings.serverDir, 'temporal-server'),
    [
      '--root',
      path.dirname(configDir),
      '--config',
      path.basename(configDir),
      '--env',
      path.basename(settings.configFile, '.yaml'),
      '--allow-no-auth',
      'start',
    ],
    logger,
  );
  await waitUntilServing(
    server,
    `Temporal server at ${settings.address}`,
    () =>
      withConnection(settings.address, async (connection) => !!(await connection.workflowService.getSystemInfo({}))),
    120_000,
  );
  return server;
}

/**
 * The namespace and the design's search attributes, as the compose file's one-shot
 * temporal-search-attributes service does; each step is skipped when already done. Waits until
 * visibility accepts a query on every attribute, so the first release can use them.
 */
export async function registerNamespaceAndSearchAttributes(
  address: string,
  namespace: string,
  logger: Logger,
): Promise<void> {
  await retryUntil(
    `namespace ${namespace}`,
    () =>
      withConnection(address, async (connection) => {
        try {
          await connection.workflowService.registerNamespace({
            namespace,
            workflowExecutionRetentionPeriod: msToTs(RETENTION),
          });
          logger.info({ process: 'temporal-server', namespace }, 'namespace registered');
        } catch (error) {
          if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
        }
        await connection.workflowService.describeNamespace({ namespace });
      }),
    60_000,
  );
  await retryUntil(
    'search attributes',
    () =>
      withConnection(address, async (connection) => {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !(key.name in (customAttributes ?? {})));
        if (missing.length === 0) return;
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key.type)])),
        });
        logger.info(
          { process: 'temporal-server', namespace, searchAttributes: missing.map((key) => key.name) },
          'search attributes registered',
        );
      }),
    60_000,
  );
  const query = SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name} = ''`).join(' AND ');
  await retryUntil(
    'visibility to know the search attributes',
    () =>
      withConnection(address, (connection) => connection.workflowService.countWorkflowExecutions({ namespace, query })),
    60_000,
  );
}

function indexedValueType(type: string): temporal.api.enums.v1.IndexedValueType {
  const value = temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as 'INDEXED_VALUE_TYPE_KEYWORD'];
  if (value === undefined) throw new Error(`no indexed value type for search attribute type ${type}`);
  return value;
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Retries `attempt` until it resolves; a server that has just started may still be joining its services. */
async function retryUntil(what: string, attempt: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  let lastError: unknown;
  try {
    await waitUntil(
      what,
      async () => {
        try {
          await attempt();
          return true;
        } catch (error) {
          lastError = error;
          return false;
        }
      },
      timeoutMs,
    );
  } catch (error) {
    const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
    throw new Error(`${(error as Error).message}${cause}`);
  }
}
