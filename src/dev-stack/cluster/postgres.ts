import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logging/logger';
import { isPortInUse, startManagedProcess, waitUntilServing, type ManagedProcess } from '../child-process';

/** The same role as docker-compose.yml's POSTGRES_USER / POSTGRES_PASSWORD: a dev stack's, not a secret. */
export const POSTGRES_USER = 'temporal';
export const POSTGRES_PASSWORD = 'temporal';
/** The account PostgreSQL runs as when we are root (it refuses to run as root); created if missing. */
const SERVICE_ACCOUNT_CANDIDATES = ['postgres', 'staged-release-db'];

export interface PostgresSettings {
  /** Folder of initdb, postgres, pg_isready and psql (scripts/ensure-postgres.sh). */
  binDir: string;
  dataDir: string;
  port: number;
}

export interface RunningPostgres {
  process: ManagedProcess;
  /** True when this start ran initdb; false when it reused an existing data folder. */
  initialized: boolean;
  /** Runs one SQL statement with psql and answers its unaligned output. */
  query(database: string, sql: string): string;
}

interface Account {
  uid: number;
  gid: number;
  name: string;
}

/** A PostgreSQL server of its own: initdb on first start, TCP on loopback only, its own port. */
export async function startPostgres(requested: PostgresSettings, logger: Logger): Promise<RunningPostgres> {
  if (await isPortInUse(requested.port)) {
    throw new Error(
      `Port ${requested.port} (PostgreSQL) is already in use. Is another 'npm run cluster' running? Stop it, or set CLUSTER_POSTGRES_PORT.`,
    );
  }
  const account = serviceAccount(logger);
  const settings = { ...requested, dataDir: reachableDataDir(requested.dataDir, account, logger) };
  const initialized = initializeIfNeeded(settings, account, logger);
  const bin = (program: string) => path.join(settings.binDir, program);
  const proc = startManagedProcess(
    'postgres',
    bin('postgres'),
    [
      '-D',
      settings.dataDir,
      '-p',
      String(settings.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // One Temporal server process opens a pool per service and store.
      '-c',
      'max_connections=200',
      '-c',
      'log_min_messages=warning',
    ],
    logger,
    {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      cwd: settings.dataDir,
      env: { PATH: process.env.PATH ?? '', LANG: 'C' },
    },
  );
  await waitUntilServing(
    proc,
    `PostgreSQL on 127.0.0.1:${settings.port}`,
    async () => {
      execFileSync(bin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(settings.port), '-d', 'postgres'], {
        stdio: 'ignore',
      });
      return true;
    },
    60_000,
  );
  const query = (database: string, sql: string) =>
    execFileSync(
      bin('psql'),
      ['-h', '127.0.0.1', '-p', String(settings.port), '-U', POSTGRES_USER, '-d', database, '-tAq', '-c', sql],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: POSTGRES_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  return { process: proc, initialized, query };
}

/** initdb when the data folder holds no cluster yet; answers whether it ran. */
function initializeIfNeeded(settings: PostgresSettings, account: Account | undefined, logger: Logger): boolean {
  const { dataDir } = settings;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.info({ process: 'postgres', dataDir }, 'reusing the PostgreSQL data folder');
    return false;
  }
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder (an interrupted initdb?); remove it`);
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) {
    assertReachableBy(dataDir, account);
    fs.chownSync(dataDir, account.uid, account.gid);
  }
  const passwordFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-pg-')), 'password');
  fs.writeFileSync(passwordFile, `${POSTGRES_PASSWORD}\n`);
  if (account) {
    fs.chownSync(path.dirname(passwordFile), account.uid, account.gid);
    fs.chownSync(passwordFile, account.uid, account.gid);
  }
  logger.info({ process: 'postgres', dataDir }, 'initdb: creating a PostgreSQL cluster (first start)');
  try {
    execFileSync(
      path.join(settings.binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        POSTGRES_USER,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      { ...(account ? { uid: account.uid, gid: account.gid } : {}), cwd: dataDir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed for ${dataDir}: ${stderr.trim() || (error as Error).message}`);
  } finally {
    fs.rmSync(path.dirname(passwordFile), { recursive: true, force: true });
  }
  return true;
}

/** Undefined when we are not root: then PostgreSQL runs as we do. */
function serviceAccount(logger: Logger): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of SERVICE_ACCOUNT_CANDIDATES) {
    const account = lookUpAccount(name);
    if (account) return account;
  }
  const name = SERVICE_ACCOUNT_CANDIDATES[SERVICE_ACCOUNT_CANDIDATES.length - 1];
  logger.info({ process: 'postgres', user: name }, `PostgreSQL refuses to run as root: creating system user ${name}`);
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  const created = lookUpAccount(name);
  if (!created) throw new Error(`could not create the system user ${name} to run PostgreSQL as`);
  return created;
}

function lookUpAccount(name: string): Account | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** Where PostgreSQL's data lives when its account cannot walk down to the clone (`/root/...`, `mktemp -d`). */
export const UNREACHABLE_CLONE_DATA_ROOT = '/var/tmp/staged-release-postgres';

/**
 * The data folder PostgreSQL is given. When its account cannot enter a folder above the clone's data
 * folder, the data lives under UNREACHABLE_CLONE_DATA_ROOT instead (one folder per clone path) and the
 * clone's folder is a symbolic link to it, so a second start finds it again and the user's own folders
 * keep their permissions.
 */
function reachableDataDir(dataDir: string, account: Account | undefined, logger: Logger): string {
  if (!account) return dataDir;
  if (fs.lstatSync(dataDir, { throwIfNoEntry: false })?.isSymbolicLink()) return fs.realpathSync(dataDir);
  const closed = closedAncestor(dataDir, account);
  if (!closed) return dataDir;
  const target = path.join(
    UNREACHABLE_CLONE_DATA_ROOT,
    createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16),
  );
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`PostgreSQL runs as '${account.name}', which cannot enter ${closed}, and ${dataDir} is not empty`);
  }
  fs.mkdirSync(UNREACHABLE_CLONE_DATA_ROOT, { recursive: true, mode: 0o755 });
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.symlinkSync(target, dataDir);
  logger.info(
    { process: 'postgres', dataDir, target, closed },
    `PostgreSQL runs as '${account.name}', which cannot enter ${closed}: its data lives in ${target}, linked from ${dataDir}`,
  );
  return target;
}

/** The first folder above `dir` that `account` cannot enter, if any. */
export function closedAncestor(dir: string, account: Account): string | undefined {
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    const stat = fs.statSync(current, { throwIfNoEntry: false });
    if (stat && stat.uid !== account.uid && (stat.mode & 0o001) === 0) return current;
    if (current === path.dirname(current)) return undefined;
  }
}

/** PostgreSQL's account must be able to walk down to its data folder. */
function assertReachableBy(dir: string, account: Account): void {
  const closed = closedAncestor(dir, account);
  if (closed) {
    throw new Error(
      `PostgreSQL runs as '${account.name}', which cannot enter ${closed}; ` +
        `set CLUSTER_DATA_DIR to a folder it can reach, or allow it in (chmod o+x ${closed})`,
    );
  }
}
