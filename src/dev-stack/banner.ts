/**
 * What `npm start` prints once everything runs: where to look, how to reach the Temporal CLI the
 * way the README's runbook writes it (`npx temporal ...`, or `temporal` once its folder is on
 * PATH), and where the metrics are.
 */
import path from 'node:path';

export interface BannerInfo {
  ui: string;
  address: string;
  taskQueue: string;
  fleetUrl: string;
  /** The CLI scripts/ensure-temporal-cli.sh found or built; undefined against a cluster of your own. */
  cliPath?: string;
  /** Prometheus endpoints: the worker's (SDK runtime and application) and the fleet's. */
  metrics?: { worker?: string; fleet?: string };
  /** The release board's URL, when it runs. */
  board?: string;
  /** The page of notifications delivered to the local inbox, when the board serves it. */
  inbox?: string;
  /** PATH of this process, to tell whether the CLI's folder is on it already. */
  pathEnv?: string;
}

/** The line that puts the CLI on PATH, or undefined when its folder is on PATH already. */
export function pathLine(cliPath: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const dir = path.dirname(cliPath);
  if (pathEnv.split(path.delimiter).includes(dir)) return undefined;
  return `export PATH="${dir}:$PATH"`;
}

export function bannerLines(info: BannerInfo): string[] {
  const onPath = info.cliPath ? pathLine(info.cliPath, info.pathEnv) : undefined;
  const cli = [
    '  The Temporal CLI, as the README writes it (from this clone):',
    '    npx temporal workflow list',
    ...(info.cliPath && onPath
      ? ['  or put it on PATH to type `temporal` anywhere (add it to your shell profile to keep it):', `    ${onPath}`]
      : []),
    ...(info.cliPath && !onPath ? [`  (\`temporal\` on your PATH is ${info.cliPath})`] : []),
  ];
  const metrics = [
    ...(info.metrics?.worker ? [`    Worker metrics  ${info.metrics.worker}`] : []),
    ...(info.metrics?.fleet ? [`    Fleet metrics   ${info.metrics.fleet}`] : []),
  ];
  return [
    '',
    '  Staged Release is running.',
    `    Temporal UI     ${info.ui}`,
    ...(info.board ? [`    Release board   ${info.board}`] : []),
    ...(info.inbox ? [`    Notifications   ${info.inbox}`] : []),
    `    Temporal        ${info.address}   task queue: ${info.taskQueue}`,
    `    Fleet API       ${info.fleetUrl}/accounts   (routers: ${info.fleetUrl}/accounts/<id>/state)`,
    ...metrics,
    '',
    ...cli,
    '',
    '  Start a release (in another terminal):',
    '    npm run demo',
    '  or with the Temporal CLI:',
    `    npx temporal workflow start --type stagedRelease --task-queue ${info.taskQueue} --workflow-id release-2026-47 \\`,
    `      --input '{"releaseId":"2026-47","version":"2026.47.0","schedule":{"stageLength":"30 seconds"}}'`,
    `    npx temporal workflow query --workflow-id release-2026-47 --name status -o json`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ];
}

export function printBanner(info: BannerInfo): void {
  process.stdout.write(bannerLines(info).join('\n') + '\n');
}
