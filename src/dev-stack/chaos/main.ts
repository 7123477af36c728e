/**
 * `npm run chaos`: a release of the demo accounts run through worker kills, a dev-server kill,
 * fleet outages and an engine crash (see run.ts and the README's Reliability section). Fault
 * lines go to stderr as they happen; the last output is one JSON object on stdout. Exits 0 only
 * when the run passed. Ctrl-C stops every process the run started.
 *
 *   npm run chaos -- [--seed N] [--worker-kills 20] [--stage-length 20s] [--long-outage 60s] ...
 */
import { parseChaosArgs, type ChaosOptions } from './options';
import { runChaos } from './run';

const stop = new AbortController();

async function main(): Promise<number> {
  let options: ChaosOptions;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stop.signal.aborted) return;
      process.stderr.write(`${signal}: stopping everything the chaos run started\n`);
      stop.abort();
    });
  }
  const report = await runChaos(options, stop.signal);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (stop.signal.aborted) {
      console.error('chaos run stopped; every process it started is stopped');
      process.exit(130);
    }
    console.error(`chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
