import http, { type Server } from 'node:http';
import { createApiServer } from './api';
import { FleetTokenSchema, isLoopbackHost } from './auth';
import { Fleet } from './fleet/fleet';
import { closeServer, listen } from './http';
import type { EngineLauncher, FleetMode } from './instances/engine-launcher';
import { InProcessEngineLauncher } from './instances/inprocess-launcher';
import { ProcessEngineLauncher } from './instances/process-launcher';
import { createLogger, type Logger } from './logger';
import { FleetMetrics } from './metrics';
import { describeIssues } from './primitives';
import { mapWithLimit } from './probe';
import {
  PerAccountRouterHosting,
  SharedRouterHosting,
  type RouterHosting,
  type RouterHostingKind,
} from './router-hosting';
import type { FleetSeed, FleetSeedInput } from './schemas';
import { loadSeedFile, parseSeed } from './seed';
import { VersionCatalogue } from './versions';

export interface FleetDaemonOptions {
  /** Control-plane port; 0 (the default) picks a free one. */
  port?: number;
  /** Control-plane address; default 127.0.0.1 (loopback). '0.0.0.0' only inside a container network, with a token. */
  host?: string;
  /**
   * Bearer token every API call must carry (`Authorization: Bearer <token>`; `GET /healthz` stays
   * open). Required when `host` is not a loopback address; optional on loopback.
   */
  token?: string;
  /** 'process' (default): every instance is an OS process. 'lightweight': in-process instances, for scale. */
  mode?: FleetMode;
  /** A seed object, or the path of a seed JSON file. Default: empty fleet (no accounts, no versions). */
  seed?: FleetSeedInput | string;
  /** 'per-account' (default in process mode): one listener per router. 'shared' (default in lightweight mode): one listener, `/accounts/<id>/...`. */
  routers?: RouterHostingKind;
  /** Shared router listener port (routers: 'shared'); default 0. */
  routerPort?: number;
  /** Per-account routers listen on routerBasePort + n in account order; default: ephemeral ports. */
  routerBasePort?: number;
  /** Process mode: where engine processes log. Default 'ignore'. */
  engineOutput?: 'inherit' | 'ignore';
  /** Log level of the daemon (and of engine processes). Default LOG_LEVEL or 'info'. */
  logLevel?: string;
  logger?: Logger;
  /** Wait for every seeded account to be provisioned and pooled before resolving. Default true. */
  waitForBoot?: boolean;
  /** Accounts booted at once. Default 4 in process mode, 200 in lightweight mode. */
  bootConcurrency?: number;
  /** How long a graceful stop may take before the instance is killed. Default 5000. */
  stopGraceMs?: number;
}

export interface FleetDaemon {
  /** Control-plane base URL, e.g. http://127.0.0.1:7380 */
  url: string;
  mode: FleetMode;
  /** Settles when every seeded account has been booted (already settled when waitForBoot was true). */
  booted: Promise<void>;
  /** Stops every instance and router the daemon started, then the API. */
  stop(): Promise<void>;
}

/** Starts the local fleet daemon in this process: API, routers, engine instances; boots the seeded accounts. */
export async function startFleetDaemon(options: FleetDaemonOptions = {}): Promise<FleetDaemon> {
  const mode = options.mode ?? 'process';
  const host = options.host ?? '127.0.0.1';
  const token = checkToken(host, options.token);
  const logger = options.logger ?? createLogger(options.logLevel ?? process.env.LOG_LEVEL ?? 'info', 'fleet');
  const seed: FleetSeed =
    typeof options.seed === 'string' ? loadSeedFile(options.seed) : parseSeed(options.seed ?? {}, 'the seed option');

  const launcher: EngineLauncher =
    mode === 'process'
      ? new ProcessEngineLauncher({
          logger,
          engineOutput: options.engineOutput ?? 'ignore',
          engineLogLevel: options.logLevel ?? process.env.LOG_LEVEL ?? 'info',
        })
      : new InProcessEngineLauncher(logger);
  const hostingKind = options.routers ?? (mode === 'process' ? 'per-account' : 'shared');
  const hosting: RouterHosting =
    hostingKind === 'shared'
      ? new SharedRouterHosting(logger, options.routerPort ?? 0)
      : new PerAccountRouterHosting(logger, options.routerBasePort);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 });

  // The fleet is made below; the gauge reads it only when scraped.
  const metrics = new FleetMetrics(async () => (fleet ? await fleet.inventory() : []));
  const fleet: Fleet = new Fleet({
    metrics,
    launcher,
    hosting,
    agent,
    logger,
    versions: new VersionCatalogue(seed.versions),
    stopGraceMs: options.stopGraceMs,
  });

  const api: Server = createApiServer(fleet, logger, { hosting, token, metrics });
  api.keepAliveTimeout = 65_000;
  let port: number;
  try {
    for (const account of seed.accounts) {
      const { currentVersion: _currentVersion, ...info } = account;
      await fleet.putAccount(info);
    }
    port = await listen(api, options.port ?? 0, host);
  } catch (error) {
    await fleet.stop();
    agent.destroy();
    throw error;
  }
  const url = `http://${urlHost(host)}:${port}`;
  logger.info(
    {
      url,
      mode,
      routers: hostingKind,
      accounts: seed.accounts.length,
      versions: seed.versions.length,
      auth: token ? 'bearer token' : 'none (loopback only)',
    },
    'fleet daemon API listening',
  );

  // Each seeded account starts at its currentVersion, or else at the first version of the catalogue.
  const firstVersion = seed.versions[0]?.version;
  const booting = seed.accounts.flatMap((account) => {
    const version = account.currentVersion ?? firstVersion;
    return version === undefined ? [] : [{ accountId: account.accountId, version }];
  });
  const booted = mapWithLimit(booting, options.bootConcurrency ?? (mode === 'process' ? 4 : 200), (account) =>
    fleet.bootAccount(account.accountId, account.version).catch((error: unknown) => {
      logger.error({ accountId: account.accountId, err: error }, 'boot failed');
    }),
  ).then(() => {
    if (booting.length > 0) logger.info({ accounts: booting.length }, 'seeded accounts booted');
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await closeServer(api);
      await fleet.stop();
      agent.destroy();
    })();
    return stopped;
  };

  if (options.waitForBoot ?? true) await booted;
  return { url, mode, booted, stop };
}

/** How this machine reaches the control plane: loopback when it listens on every interface. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Beyond loopback the control plane is reachable by others: then a token is required, never optional. */
function checkToken(host: string, token: string | undefined): string | undefined {
  if (token !== undefined) {
    const parsed = FleetTokenSchema.safeParse(token);
    if (!parsed.success) throw new Error(`invalid fleet token: ${describeIssues(parsed.error, 'FLEET_TOKEN')}`);
    return parsed.data;
  }
  if (!isLoopbackHost(host)) {
    throw new Error(
      `the fleet daemon would listen on ${host}, beyond loopback, without a token: set FLEET_TOKEN (or --token) ` +
        'to a secret of at least 16 characters (e.g. `openssl rand -hex 32`); every API call then sends Authorization: Bearer <token>',
    );
  }
  return undefined;
}
