import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from './logger';
import { checkBodilessRead, HttpError, sendError, sendJson } from './http';
import { INSTANCE_GONE_HEADER } from './instances/inprocess-launcher';
import type { RouterMetrics } from './metrics';
import type { MaintenanceMode } from './model';
import {
  errorMessage,
  forwardableHeaders,
  forwardToMaintenanceTarget,
  isOwnForward,
  MAX_PROXIED_BODY_BYTES,
  UPSTREAM_TIMEOUT_MS,
} from './proxy';
import { parseRequestTarget, quote } from './request-target';

export interface PoolMember {
  instanceId: string;
  /** Base URL of the instance; its path (if any) prefixes every proxied path. */
  url: string;
}

interface Target {
  instanceId: string;
  host: string;
  port: number;
  pathPrefix: string;
}

export interface RouterStats {
  accountId: string;
  pool: string[];
  maintenance: MaintenanceMode;
  requests: number;
  proxied: number;
  retried: number;
  failed: number;
  maintenanceAnswers: number;
  inFlight: Record<string, number>;
}

function toTarget(member: PoolMember): Target {
  const url = new URL(member.url);
  return {
    instanceId: member.instanceId,
    host: url.hostname,
    port: Number(url.port || 80),
    pathPrefix: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
  };
}

/**
 * The request router of one account: round-robin over the request pool, which is replaced in one
 * assignment (atomic for every request that has not picked a target yet). A request keeps the
 * target it picked even if the pool changes meanwhile; drains wait for {@link inFlightTo} to reach
 * zero, so removing an instance never cuts a request routed to it. An idempotent request whose
 * connection to an instance fails before any answer (the instance just left or died) is retried
 * once on the current pool, as production load balancers do.
 */
export class AccountRouter {
  private pool: readonly Target[] = [];
  private next = 0;
  private maintenance: MaintenanceMode = { enabled: false };
  private readonly inFlight = new Map<string, number>();
  private requests = 0;
  private proxied = 0;
  private retried = 0;
  private failed = 0;
  private maintenanceAnswers = 0;

  constructor(
    readonly accountId: string,
    private readonly agent: http.Agent,
    private readonly log: Logger,
    /** Seconds a client should wait during maintenance (from the account's maintenance window). */
    private readonly retryAfterSeconds: () => number,
    private readonly metrics?: RouterMetrics,
  ) {}

  setPool(members: PoolMember[]): void {
    this.pool = members.map(toTarget);
    this.next = 0;
  }

  poolIds(): string[] {
    return this.pool.map((target) => target.instanceId);
  }

  setMaintenance(mode: MaintenanceMode): void {
    this.maintenance = mode;
  }

  getMaintenance(): MaintenanceMode {
    return this.maintenance;
  }

  /** Requests this router has sent to the instance that have not finished yet. */
  inFlightTo(instanceId: string): number {
    return this.inFlight.get(instanceId) ?? 0;
  }

  stats(): RouterStats {
    return {
      accountId: this.accountId,
      pool: this.poolIds(),
      maintenance: this.maintenance,
      requests: this.requests,
      proxied: this.proxied,
      retried: this.retried,
      failed: this.failed,
      maintenanceAnswers: this.maintenanceAnswers,
      inFlight: Object.fromEntries(this.inFlight),
    };
  }

  /**
   * `path` is the request target with query, relative to the router's base URL. A target that
   * breaks the rules of {@link parseRequestTarget}, a call to an instance's admin endpoints, or a
   * feature request with a body or another method than GET/HEAD throws an HttpError before
   * anything is forwarded; the server answers it.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void {
    const target = parseRequestTarget(path);
    const [first, second] = target.segments;
    if (first === '_router' && second === 'status' && target.segments.length === 2) {
      sendJson(res, 200, this.stats());
      return;
    }
    // Only the daemon talks to an instance's admin endpoints (promotion arms a version's faults).
    if (first === '_admin') throw new HttpError(404, `no route for ${quote(target.path.split('?')[0])}`);
    if (isOwnForward(req)) {
      throw new HttpError(508, `account ${this.accountId} forwards its maintenance traffic back into this fleet`);
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_PROXIED_BODY_BYTES) {
      throw new HttpError(413, `request body is larger than ${MAX_PROXIED_BODY_BYTES} bytes`);
    }
    this.metrics?.track(this.accountId, res);
    if (this.maintenance.enabled) {
      this.requests++;
      this.answerMaintenance(req, res, target.path, this.maintenance.forwardTo);
      return;
    }
    checkBodilessRead(req, MAX_PROXIED_BODY_BYTES);
    this.requests++;
    req.resume();
    this.forward(req, res, target.path, undefined);
  }

  private pick(avoid: string | undefined): Target | undefined {
    const pool = this.pool;
    if (pool.length === 0) return undefined;
    for (let tries = 0; tries < pool.length; tries++) {
      const target = pool[this.next++ % pool.length];
      if (target.instanceId !== avoid || pool.length === 1) return target;
    }
    return pool[0];
  }

  private forward(req: IncomingMessage, res: ServerResponse, path: string, failedBefore: string | undefined): void {
    const target = this.pick(failedBefore);
    if (!target) {
      this.failed++;
      this.metrics?.failed(this.accountId, 'no-pool');
      sendJson(
        res,
        503,
        { error: `account ${this.accountId} has no instance in its request pool`, accountId: this.accountId },
        { 'retry-after': '5' },
      );
      return;
    }
    const id = target.instanceId;
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(id) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(id);
      else this.inFlight.set(id, left);
    };

    const canRetry = failedBefore === undefined && (req.method === 'GET' || req.method === 'HEAD');
    const retry = (why: string) => {
      release();
      this.retried++;
      this.log.debug({ accountId: this.accountId, instanceId: id, why }, 'retrying request on the current pool');
      this.forward(req, res, path, id);
    };

    let upstream: http.ClientRequest;
    try {
      upstream = http.request({
        host: target.host,
        port: target.port,
        path: target.pathPrefix + path,
        method: req.method,
        headers: { ...forwardableHeaders(req.headers), 'x-forwarded-for': req.socket.remoteAddress ?? '' },
        agent: this.agent,
        timeout: UPSTREAM_TIMEOUT_MS,
      });
    } catch (error) {
      // Node refuses to send some headers it accepted from the client.
      release();
      sendError(res, new HttpError(400, `the request cannot be forwarded: ${errorMessage(error)}`));
      return;
    }
    upstream.on('response', (answer) => {
      if (answer.headers[INSTANCE_GONE_HEADER] && canRetry) {
        answer.resume();
        retry('instance gone');
        return;
      }
      this.proxied++;
      res.writeHead(answer.statusCode ?? 502, forwardableHeaders(answer.headers));
      answer.pipe(res);
      answer.on('end', release);
      answer.on('error', () => {
        release();
        res.destroy();
      });
    });
    upstream.on('timeout', () =>
      upstream.destroy(new Error(`instance ${id} did not answer within ${UPSTREAM_TIMEOUT_MS} ms`)),
    );
    let clientGone = false;
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent || clientGone) {
        release();
        res.destroy();
        return;
      }
      // Like nginx's proxy_next_upstream: an idempotent request that got no answer at all
      // (refused, reset, killed instance) is sent once more to the current pool.
      if (canRetry) {
        retry(error.code ?? error.message);
        return;
      }
      release();
      this.failed++;
      this.metrics?.failed(this.accountId, 'unreachable');
      this.log.warn({ accountId: this.accountId, instanceId: id, err: error.message }, 'request to instance failed');
      sendJson(res, 502, { error: `instance ${id} could not be reached: ${error.code ?? error.message}` });
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        clientGone = true;
        upstream.destroy();
      }
      release();
    });
    // Feature requests carry no body (checked before forwarding).
    upstream.end();
  }

  private answerMaintenance(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    forwardTo: string | undefined,
  ): void {
    this.maintenanceAnswers++;
    if (!forwardTo) {
      const retryAfter = Math.max(1, Math.round(this.retryAfterSeconds()));
      sendJson(
        res,
        503,
        {
          error: 'maintenance',
          message: `account ${this.accountId} is being upgraded; retry in ${retryAfter} s`,
          accountId: this.accountId,
          retryAfterSeconds: retryAfter,
        },
        { 'retry-after': String(retryAfter) },
      );
      return;
    }
    forwardToMaintenanceTarget(req, res, path, forwardTo);
  }
}
