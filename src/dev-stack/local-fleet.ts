import { z } from 'zod';
import type { Logger } from '../logging/logger';
import { startManagedProcess, waitUntilServing, type ManagedProcess } from './child-process';

/** The daemon's command of the local fleet package (packages/local-fleet), found through the workspace link. */
const DAEMON_MAIN = require.resolve('@staged-release/local-fleet/daemon-main');

/**
 * The local fleet daemon as its own process (it is the platform, not part of the worker), with the
 * demo accounts unless `seed` names another seed file. With a `token` its control plane requires it
 * (`FLEET_TOKEN`); without one it listens on loopback only (the daemon refuses anything else).
 * `env` adds to (or overrides) this process's environment, e.g. LOG_LEVEL or FLEET_ENGINE_LOGS.
 */
export async function startLocalFleet(
  options: { port: number; seed?: string; token?: string; env?: NodeJS.ProcessEnv },
  logger: Logger,
): Promise<{ url: string; process: ManagedProcess }> {
  const url = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, FLEET_PORT: String(options.port) };
  if (options.seed) env.FLEET_SEED = options.seed;
  if (options.token) env.FLEET_TOKEN = options.token;
  else delete env.FLEET_TOKEN;
  const proc = startManagedProcess('fleet', process.execPath, ['--import', 'tsx', DAEMON_MAIN], logger, { env });
  // Ready when every seeded account serves: its API answers before the accounts have booted.
  await waitUntilServing(proc, `fleet daemon at ${url}`, () => everyAccountServes(url, options.token), 120_000);
  return { url, process: proc };
}

const FleetStateSchema = z.object({
  accounts: z.array(z.object({ accountId: z.string(), pool: z.array(z.unknown()) })),
});

async function everyAccountServes(url: string, token: string | undefined): Promise<boolean> {
  const response = await fetch(`${url}/state`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) return false;
  const { accounts } = FleetStateSchema.parse(await response.json());
  return accounts.every((account) => account.pool.length > 0);
}
