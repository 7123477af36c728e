import type { Server } from 'node:http';
import { createGuardedServer } from './guarded-server';
import type { Logger } from './logger';
import { closeServer, HttpError, listen } from './http';
import { parseRequestTarget, quote } from './request-target';
import type { AccountRouter } from './router';

/** Where routers listen. Both kinds give each account a base URL (`routerUrl`); clients append `/features/...`. */
export interface RouterHosting {
  readonly kind: RouterHostingKind;
  /** Starts serving the router; resolves with its base URL. */
  attach(router: AccountRouter): Promise<string>;
  detach(accountId: string): Promise<void>;
  close(): Promise<void>;
  /** The ports routers listen on (loopback), so nothing is told to forward back into them. */
  ports(): number[];
}

function portOf(server: Server): number[] {
  const address = server.address();
  return address === null || typeof address === 'string' ? [] : [address.port];
}

export type RouterHostingKind = 'per-account' | 'shared';

/** One loopback listener per account (`http://127.0.0.1:<port>`), like a load balancer per customer. */
export class PerAccountRouterHosting implements RouterHosting {
  readonly kind = 'per-account' as const;
  private readonly servers = new Map<string, Server>();
  private attached = 0;

  constructor(
    private readonly logger: Logger,
    /** When set, the n-th router listens on basePort + n; otherwise on an ephemeral port. */
    private readonly basePort?: number,
  ) {}

  async attach(router: AccountRouter): Promise<string> {
    const server = createGuardedServer(`router ${router.accountId}`, this.logger, (req, res) =>
      router.handle(req, res, req.url ?? '/'),
    );
    server.keepAliveTimeout = 65_000;
    const port = await listen(server, this.basePort === undefined ? 0 : this.basePort + this.attached++);
    this.servers.set(router.accountId, server);
    this.logger.info({ accountId: router.accountId, port, url: `http://127.0.0.1:${port}` }, 'router listening');
    return `http://127.0.0.1:${port}`;
  }

  async detach(accountId: string): Promise<void> {
    const server = this.servers.get(accountId);
    this.servers.delete(accountId);
    if (server) await closeServer(server);
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((accountId) => this.detach(accountId)));
  }

  ports(): number[] {
    return [...this.servers.values()].flatMap(portOf);
  }
}

/**
 * One listener for every router, routing by path prefix: `http://127.0.0.1:<port>/accounts/<accountId>/...`.
 * Used in lightweight mode so thousands of accounts do not need thousands of ports.
 */
export class SharedRouterHosting implements RouterHosting {
  readonly kind = 'shared' as const;
  private readonly routers = new Map<string, AccountRouter>();
  private readonly server: Server;
  private baseUrl: Promise<string> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly port = 0,
  ) {
    this.server = createGuardedServer('shared router listener', logger, (req, res) => {
      const target = parseRequestTarget(req.url ?? '/');
      const [first, accountId] = target.segments;
      const router = first === 'accounts' && accountId !== undefined ? this.routers.get(accountId) : undefined;
      if (!router) {
        throw new HttpError(
          404,
          first === 'accounts' && accountId !== undefined
            ? `no account ${quote(accountId)} on this fleet`
            : 'use /accounts/<accountId>/features/<useCase>?entity=<id>',
        );
      }
      // The router reads the rest of the target, still encoded, as its own.
      const prefix = `/accounts/${target.path.slice('/accounts/'.length).split(/[/?]/)[0]}`;
      const rest = target.path.slice(prefix.length);
      router.handle(req, res, rest.startsWith('/') ? rest : `/${rest}`);
    });
    this.server.keepAliveTimeout = 65_000;
  }

  private url(): Promise<string> {
    this.baseUrl ??= listen(this.server, this.port).then((port) => {
      this.logger.info({ port, url: `http://127.0.0.1:${port}/accounts/<accountId>` }, 'shared router listener up');
      return `http://127.0.0.1:${port}`;
    });
    return this.baseUrl;
  }

  async attach(router: AccountRouter): Promise<string> {
    const base = await this.url();
    this.routers.set(router.accountId, router);
    return `${base}/accounts/${encodeURIComponent(router.accountId)}`;
  }

  async detach(accountId: string): Promise<void> {
    this.routers.delete(accountId);
  }

  async close(): Promise<void> {
    this.routers.clear();
    await closeServer(this.server);
  }

  ports(): number[] {
    return portOf(this.server);
  }
}
