import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type ToolScript =
  | 'ensure-temporal-cli.sh'
  | 'ensure-test-server.sh'
  | 'ensure-postgres.sh'
  | 'ensure-temporal-server.sh'
  | 'ensure-temporal-ui-server.sh';

/**
 * Runs one of scripts/ensure-*.sh (progress goes to our stderr) and returns the path it prints
 * on its last line: the tool found on this machine, or built or fetched into the shared cache.
 */
export function runToolScript(script: ToolScript): string {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop() ?? '';
}
