import { REPO_ROOT, runToolScript } from '../../src/dev-stack/tool-scripts';

let temporalCliPath: string | undefined;
let testServerPath: string | undefined;

/** The Temporal CLI the repo's script finds or builds (cached after the first build). */
export function temporalCli(): string {
  temporalCliPath ??= runToolScript('ensure-temporal-cli.sh');
  return temporalCliPath;
}

/**
 * The Java time-skipping test server launcher the repo's script fetches (cached after the first
 * fetch), or undefined with TEMPORAL_TEST_SERVER=download: then the SDK downloads its own, which
 * works on machines with internet access.
 */
export function timeSkippingServer(): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER === 'download') return undefined;
  testServerPath ??= runToolScript('ensure-test-server.sh');
  return testServerPath;
}

export { REPO_ROOT };
