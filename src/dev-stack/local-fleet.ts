import path from 'node:path';
import type { Logger } from '../logging/logger';
import { startManagedProcess, waitUntil, type ManagedProcess } from './child-process';

/** The local fleet daemon with the demo accounts, as its own process (it is the platform, not part of the worker). */
export async function startLocalFleet(options: { port: number; repoRoot: string }, logger: Logger): Promise<{ url: string; process: ManagedProcess }> {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = startManagedProcess(
    'fleet',
    process.execPath,
    ['--import', 'tsx', path.join(options.repoRoot, 'src', 'fleet', 'daemon-main.ts')],
    logger,
    { env: { ...process.env, FLEET_PORT: String(options.port) } },
  );
  await waitUntil(`fleet daemon at ${url}`, async () => (await fetch(`${url}/accounts`)).ok, 60_000, proc.exited);
  return { url, process: proc };
}
