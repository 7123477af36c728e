import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { temporalPortsAround, type ClusterPorts } from '../../src/dev-stack/cluster/settings';
import { REPO_ROOT } from '../harness/tools';

/**
 * A data folder for one test cluster under .data/test: not under the system temp folder, whose
 * fresh folders are private to root and so closed to the account PostgreSQL runs as.
 */
export function clusterDataDir(label: string): string {
  const parent = path.join(REPO_ROOT, '.data', 'test');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `${label}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Removes a test cluster's data, also PostgreSQL's when it lives outside the clone behind a link. */
export function removeClusterDataDir(dir: string): void {
  const postgres = path.join(dir, 'postgres');
  if (fs.lstatSync(postgres, { throwIfNoEntry: false })?.isSymbolicLink()) {
    fs.rmSync(fs.realpathSync(postgres), { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Loopback ports below 32768: Temporal stores membership ports in a PostgreSQL smallint, and the
 * ports the OS hands out for port 0 (32768-60999 on Linux) do not fit.
 */
const LOW_PORTS = { min: 20_000, max: 32_000 };

async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW_PORTS.min + Math.floor(Math.random() * (LOW_PORTS.max - LOW_PORTS.min));
    if (!taken.has(port) && (await canListen(port))) return taken.add(port) && port;
  }
  throw new Error(`no free port between ${LOW_PORTS.min} and ${LOW_PORTS.max}`);
}

/** Free loopback ports for every listener of a cluster (Temporal alone has nine), all different. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const next = () => freeLowPort(taken);
  return {
    postgres: await next(),
    ui: await next(),
    fleet: await next(),
    temporal: {
      frontend: await next(),
      frontendHttp: await next(),
      frontendMembership: await next(),
      history: await next(),
      historyMembership: await next(),
      matching: await next(),
      matchingMembership: await next(),
      worker: await next(),
      workerMembership: await next(),
    },
  };
}

/** A frontend port whose whole Temporal layout (see temporalPortsAround) is free: for CLUSTER_TEMPORAL_PORT. */
export async function freeTemporalBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freeLowPort(new Set());
    const layout = Object.values(temporalPortsAround(port));
    if ((await Promise.all(layout.map(canListen))).every(Boolean)) return port;
  }
  throw new Error('no free Temporal port layout found');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Seconds since `start`, to one decimal, for the timing notes the tests print. */
export function secondsSince(start: number): number {
  return Math.round((Date.now() - start) / 100) / 10;
}
