import { z } from 'zod';
import type { Logger } from '../logging/logger';
import { startManagedProcess, waitUntil, type ManagedProcess } from './child-process';

/** The daemon's command of the local fleet package (packages/local-fleet), found through the workspace link. */
const DAEMON_MAIN = require.resolve('@staged-release/local-fleet/daemon-main');

/** The local fleet daemon with the demo accounts, as its own process (it is the platform, not part of the worker). */
export async function startLocalFleet(
  options: { port: number },
  logger: Logger,
): Promise<{ url: string; process: ManagedProcess }> {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = startManagedProcess('fleet', process.execPath, ['--import', 'tsx', DAEMON_MAIN], logger, {
    env: { ...process.env, FLEET_PORT: String(options.port) },
  });
  // Ready when every seeded account serves: its API answers before the accounts have booted.
  await waitUntil(`fleet daemon at ${url}`, () => everyAccountServes(url), 120_000, proc.exited);
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
