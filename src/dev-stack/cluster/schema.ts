import { execFile } from 'node:child_process';
import type { Logger } from '../../logging/logger';
import { POSTGRES_PASSWORD, POSTGRES_USER, type RunningPostgres } from './postgres';

/** The server's two stores and the schemas temporal-sql-tool carries for them (the module's schema/ folder). */
export const TEMPORAL_DATABASES = [
  { database: 'temporal', schemaName: 'postgresql/v12/temporal' },
  { database: 'temporal_visibility', schemaName: 'postgresql/v12/visibility' },
] as const;

export interface SchemaReport {
  database: string;
  /** Schema version before this start ('none' for a new database) and after the migration. */
  from: string;
  to: string;
}

/**
 * Creates the persistence and visibility databases if missing and migrates both to the schema of
 * this server version with the server's own tool, as temporalio/auto-setup does: setup-schema
 * -v 0.0 (a no-op once versioned), then update-schema (a no-op when already current).
 */
export async function prepareTemporalDatabases(
  sqlTool: string,
  postgres: RunningPostgres,
  port: number,
  logger: Logger,
): Promise<SchemaReport[]> {
  const reports: SchemaReport[] = [];
  for (const { database, schemaName } of TEMPORAL_DATABASES) {
    const run = (args: string[]) =>
      runSqlTool(sqlTool, [
        '--plugin',
        'postgres12',
        '--endpoint',
        '127.0.0.1',
        '--port',
        String(port),
        '--user',
        POSTGRES_USER,
        '--password',
        POSTGRES_PASSWORD,
        '--database',
        database,
        ...args,
      ]);
    const exists = postgres.query('postgres', `SELECT 1 FROM pg_database WHERE datname = '${database}'`) === '1';
    if (!exists) await run(['create-database']);
    const from = exists ? schemaVersion(postgres, database) : 'none';
    await run(['setup-schema', '--version', '0.0']);
    await run(['update-schema', '--schema-name', schemaName]);
    const to = schemaVersion(postgres, database);
    logger.info(
      { process: 'temporal-sql-tool', database, from, to },
      from === to
        ? `schema of ${database} is current (${to}): nothing to migrate`
        : `schema of ${database}: ${from} -> ${to}`,
    );
    reports.push({ database, from, to });
  }
  return reports;
}

function schemaVersion(postgres: RunningPostgres, database: string): string {
  const hasTable = postgres.query(database, `SELECT to_regclass('public.schema_version') IS NOT NULL`) === 't';
  return hasTable ? postgres.query(database, 'SELECT curr_version FROM schema_version') || 'none' : 'none';
}

function runSqlTool(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const command = args.find((arg) => arg.endsWith('-schema') || arg.endsWith('-database'));
      reject(new Error(`temporal-sql-tool ${command} failed: ${(stderr || stdout || error.message).trim()}`));
    });
  });
}
