import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import type { Logger } from '../logging/logger';
import { isPortInUse, startManagedProcess, waitUntil, type ManagedProcess } from './child-process';

export interface DevServerSettings {
  cliPath: string;
  port: number;
  uiPort: number;
  /** SQLite file: a restart of `npm start` keeps every workflow. */
  dbFile: string;
  namespace: string;
}

/** The CLI spells types as the server does: KEYWORD -> Keyword, KEYWORD_LIST -> KeywordList. */
function cliTypeName(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}

/** `temporal server start-dev` with a database file, the web UI and the design's search attributes. */
export async function startTemporalDevServer(settings: DevServerSettings, logger: Logger): Promise<ManagedProcess> {
  for (const port of [settings.port, settings.uiPort]) {
    if (await isPortInUse(port)) {
      throw new Error(
        `Port ${port} is already in use. Is another 'npm start' running? Stop it, or set TEMPORAL_DEV_PORT / TEMPORAL_UI_PORT.`,
      );
    }
  }
  fs.mkdirSync(path.dirname(settings.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(settings.port),
    '--ui-port',
    String(settings.uiPort),
    '--db-filename',
    settings.dbFile,
    '--namespace',
    settings.namespace,
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_KEYS.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeName(key.type)}`]),
  ];
  const server = startManagedProcess('temporal-dev-server', settings.cliPath, args, logger);
  const address = `127.0.0.1:${settings.port}`;
  await waitUntil(
    `Temporal dev server at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    60_000,
    server.exited,
  );
  return server;
}
