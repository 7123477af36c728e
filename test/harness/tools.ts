import { execFileSync } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function lastLineOf(script: string): string {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = out.trim().split('\n');
  return lines[lines.length - 1];
}

let temporalCliPath: string | undefined;
let testServerPath: string | undefined;

/** The Temporal CLI the repo's script finds or builds (cached after the first build). */
export function temporalCli(): string {
  temporalCliPath ??= lastLineOf('ensure-temporal-cli.sh');
  return temporalCliPath;
}

/**
 * The Java time-skipping test server launcher the repo's script fetches (cached after the first
 * fetch), or undefined with TEMPORAL_TEST_SERVER=download: then the SDK downloads its own, which
 * works on machines with internet access.
 */
export function timeSkippingServer(): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER === 'download') return undefined;
  testServerPath ??= lastLineOf('ensure-test-server.sh');
  return testServerPath;
}

export { REPO_ROOT };
