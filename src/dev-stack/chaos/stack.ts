/**
 * Everything a chaos run runs on, each part its own process so it can be killed: a Temporal dev
 * server on a SQLite file in a temporary folder (killed and started again on the same file and
 * port), the fleet daemon (process mode, demo seed), and a TCP proxy between the worker and the
 * fleet's control plane. Routers and the load generator reach the fleet directly: the proxy cuts
 * only the orchestrator off, as a partition between the control plane and its caller would.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from '../../logging/logger';
import { pinoRuntimeLogger } from '../../logging/temporal-runtime-logger';
import { WORKFLOWS_PATH } from '../../worker';
import type { ManagedProcess } from '../child-process';
import { startLocalFleet } from '../local-fleet';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy';
import { startTemporalDevServer, type DevServerSettings } from '../temporal-dev-server';
import { runToolScript } from '../tool-scripts';
import type { FaultLog } from './fault-log';

export interface ChaosStack {
  address: string;
  namespace: string;
  client: Client;
  /** The fleet's control plane, direct (for the run's own observations). */
  fleetUrl: string;
  /** Where the worker reaches the fleet: through the proxy. */
  proxy: TcpProxy;
  workflowBundlePath: string;
  server: RestartableServer;
  /** Process groups of every process the stack started (the dev server's, each time, and the fleet's). */
  processGroups(): number[];
  stop(): Promise<void>;
}

export interface RestartableServer {
  /** Resolves when the server answers (at once unless it is down). */
  whenUp(): Promise<void>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same database file and port; resolves when it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Pids of every dev-server process started; each leads its own process group. */
  readonly pids: number[];
}

export async function startChaosStack(
  options: { workflowBundlePath?: string; logLevel: string },
  logger: Logger,
  faults: FaultLog,
): Promise<ChaosStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-chaos-'));
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logger.warn({ err: error }, 'could not stop a part of the stack'));
    }
  };
  try {
    const workflowBundlePath = options.workflowBundlePath ?? (await bundleWorkflows(dataDir, logger));
    const settings: DevServerSettings = {
      cliPath: runToolScript('ensure-temporal-cli.sh'),
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      namespace: 'default',
    };
    // The dev server warns at length when it is killed and while it is down; its errors are enough here.
    const server = await RestartableDevServer.start(settings, quieter(logger, 'error'));
    cleanups.push(() => server.stop());
    const address = `127.0.0.1:${settings.port}`;
    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());

    const fleet = await startLocalFleet(
      { port: await freePort(), env: { LOG_LEVEL: options.logLevel, FLEET_ENGINE_LOGS: 'ignore' } },
      logger,
    );
    cleanups.push(() => fleet.process.stop());
    const fleetPort = Number(new URL(fleet.url).port);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: fleetPort });
    cleanups.push(() => proxy.close());
    faults.write('stack-ready', { temporal: address, fleet: fleet.url, fleetViaProxy: proxy.url, dataDir });

    return {
      address,
      namespace: settings.namespace,
      client: new Client({ connection, namespace: settings.namespace }),
      fleetUrl: fleet.url,
      proxy,
      workflowBundlePath,
      server,
      processGroups: () => [...server.pids, fleet.process.child.pid ?? 0].filter((pid) => pid > 0),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The workflows bundled once, so each new worker only loads the file. */
async function bundleWorkflows(dataDir: string, logger: Logger): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    logger: pinoRuntimeLogger(logger),
  });
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  return bundlePath;
}

/** The dev server as a process that can be killed and started again where clients and workers expect it. */
class RestartableDevServer implements RestartableServer {
  private up: Promise<void> = Promise.resolve();
  private markUp: () => void = () => undefined;
  readonly pids: number[] = [];

  private constructor(
    private readonly settings: DevServerSettings,
    private readonly logger: Logger,
    private proc: ManagedProcess | undefined,
  ) {
    this.remember(proc);
  }

  static async start(settings: DevServerSettings, logger: Logger): Promise<RestartableDevServer> {
    return new RestartableDevServer(settings, logger, await startTemporalDevServer(settings, logger));
  }

  whenUp(): Promise<void> {
    return this.up;
  }

  async kill(): Promise<void> {
    const victim = this.proc;
    this.proc = undefined;
    this.up = new Promise((resolve) => (this.markUp = resolve));
    await victim?.stop(0, 'SIGKILL');
  }

  async restart(): Promise<void> {
    this.proc = await startTemporalDevServer(this.settings, this.logger);
    this.remember(this.proc);
    this.markUp();
  }

  private remember(proc: ManagedProcess | undefined): void {
    if (proc?.child.pid) this.pids.push(proc.child.pid);
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    this.proc = undefined;
    this.markUp(); // nobody waits for a server that will not come back
  }
}

/** At the default level (warn) only the server's errors show; `--log-level info` shows everything it says. */
function quieter(logger: Logger, floor: 'error'): Logger {
  if (logger.levelVal <= logger.levels.values.info || logger.levelVal >= logger.levels.values[floor]) return logger;
  return logger.child({}, { level: floor });
}

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
