import { z } from 'zod';
import type { Logger } from '../logging/logger';
import { startManagedProcess, waitUntilServing, type ManagedProcess } from './child-process';

/** The daemon's command of the local fleet package (packages/local-fleet), found through the workspace link. */
const DAEMON_MAIN = require.resolve('@staged-release/local-fleet/daemon-main');

/**
 * The local fleet daemon as its own process (it is the platform, not part of the worker), with the
 * demo accounts unless `seed` names another seed file. `env` adds to (or overrides) this process's
 * environment, e.g. LOG_LEVEL or FLEET_ENGINE_LOGS.
 */
export async function startLocalFleet(
  options: { port: number; seed?: string; env?: NodeJS.ProcessEnv },
  logger: Logger,
): Promise<{ url: string; process: ManagedProcess }> {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = startManagedProcess('fleet', process.execPath, ['--import', 'tsx', DAEMON_MAIN], logger, {
    env: {
      ...process.env,
      ...options.env,
      FLEET_PORT: String(options.port),
      ...(options.seed ? { FLEET_SEED: options.seed } : {}),
    },
  });
  // Ready when every seeded account serves: its API answers before the accounts have booted.
  await waitUntilServing(proc, `fleet daemon at ${url}`, () => everyAccountServes(url), 120_000);
  return { url, process: proc };
}

const FleetStateSchema = z.object({
  accounts: z.array(z.object({ accountId: z.string(), pool: z.array(z.unknown()) })),
});

async function everyAccountServes(url: string): Promise<boolean> {
  const response = await fetch(`${url}/state`);
  if (!response.ok) return false;
  const { accounts } = FleetStateSchema.parse(await response.json());
  return accounts.every((account) => account.pool.length > 0);
}
