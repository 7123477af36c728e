import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { z } from 'zod';
import { requireBearerToken } from './auth';
import type { Fleet } from './fleet/fleet';
import { checkForwardTarget } from './forward-target';
import { createGuardedServer } from './guarded-server';
import { HttpError, parseOrThrow, readJsonBody, sendJson } from './http';
import type { Logger } from './logger';
import { toInstanceInfo, type AccountInfo } from './model';
import { parseRequestTarget, quote, singleValuedParams } from './request-target';
import type { RouterHosting } from './router-hosting';
import {
  AccountIdSchema,
  AccountPatchBodySchema,
  AccountPutBodySchema,
  ClaimBodySchema,
  ClaimReleaseBodySchema,
  DecommissionBodySchema,
  DrainBodySchema,
  InstanceIdSchema,
  InstancesQuerySchema,
  MaintenanceBodySchema,
  PoolBodySchema,
  ProbeBodySchema,
  ProvisionBodySchema,
  VersionPutBodySchema,
  VersionSchema,
  maintenanceSettingsValid,
} from './schemas';

interface Request {
  req: IncomingMessage;
  params: Record<string, string>;
  query: Record<string, string>;
}

interface Answer {
  status?: number;
  body?: unknown;
}

type Handler = (request: Request) => Promise<Answer> | Answer;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  summary: string;
  handler: Handler;
}

const PARAM_SCHEMAS: Record<string, z.ZodType<string>> = {
  accountId: AccountIdSchema,
  version: VersionSchema,
  instanceId: InstanceIdSchema,
};

export interface ApiOptions {
  /** Where the routers listen, so maintenance mode is never told to forward into them. */
  hosting: Pick<RouterHosting, 'ports'>;
  /** When set, every call but `GET /healthz` and `GET /metrics` needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Prometheus exposition served at `GET /metrics` (read-only counts, open like /healthz). */
  metrics?: { scrape(): Promise<{ contentType: string; text: string }> };
}

/**
 * The control-plane HTTP API of the fleet daemon. Every body, query and path parameter is parsed
 * with zod; errors answer `{ error, issues? }` with 400 (bad input), 401 (no or wrong bearer
 * token), 404 (unknown account, instance or version), 409 (conflict with the fleet's state),
 * 413/414/415/431 (too large, or not JSON) or 422 (a requestId reused with other parameters).
 * `GET /` lists every endpoint.
 */
export function createApiServer(fleet: Fleet, logger: Logger, options: ApiOptions): Server {
  const routes: Route[] = [];
  const route = (method: string, pattern: string, summary: string, handler: Handler) =>
    routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), summary, handler });

  route('GET', '/', 'this list', () => ({
    body: { mode: fleet.mode, endpoints: routes.map((r) => `${r.method} ${r.pattern} — ${r.summary}`) },
  }));
  route('GET', '/healthz', 'liveness of the daemon', () => ({ body: { ok: true, mode: fleet.mode } }));

  route('GET', '/versions', 'the version catalogue', () => ({ body: { versions: fleet.versions.list() } }));
  route('GET', '/versions/:version', 'one version', ({ params }) => ({ body: fleet.versions.get(params.version) }));
  route(
    'PUT',
    '/versions/:version',
    'create or change a version: {lineage?, initMs?, fault?|null, channel?, publishedAt?, notes?}',
    async ({ req, params }) => {
      const change = parseOrThrow(VersionPutBodySchema, await readJsonBody(req), 'version');
      const { spec, created } = fleet.versions.upsert(params.version, change);
      logger.info({ version: params.version, spec }, created ? 'version added' : 'version changed');
      return { status: created ? 201 : 200, body: spec };
    },
  );
  route('DELETE', '/versions/:version', 'remove a version (running instances are unaffected)', ({ params }) => {
    fleet.versions.get(params.version);
    fleet.versions.remove(params.version);
    return { status: 204 };
  });

  route('GET', '/accounts', 'every account', () => ({ body: { accounts: fleet.listAccounts() } }));
  route('GET', '/accounts/:accountId', 'one account', ({ params }) => ({ body: fleet.getAccount(params.accountId) }));
  route(
    'PUT',
    '/accounts/:accountId',
    'create or replace an account (currentVersion boots a new one)',
    async ({ req, params }) => {
      const body = parseOrThrow(AccountPutBodySchema, await readJsonBody(req), 'account');
      if (body.currentVersion !== undefined) fleet.versions.get(body.currentVersion);
      const { currentVersion, ...fields } = body;
      const created = await fleet.putAccount({ accountId: params.accountId, ...fields });
      if (created && currentVersion !== undefined) {
        void fleet
          .bootAccount(params.accountId, currentVersion)
          .catch((error: unknown) =>
            logger.error({ accountId: params.accountId, err: error }, 'boot of the new account failed'),
          );
      }
      return { status: created ? 201 : 200, body: fleet.getAccount(params.accountId) };
    },
  );
  route('PATCH', '/accounts/:accountId', 'change some fields of an account', async ({ req, params }) => {
    const change = parseOrThrow(AccountPatchBodySchema, await readJsonBody(req), 'account change');
    const current = fleet.getAccount(params.accountId);
    const { maintenanceWindow, fallbackUrl, ...rest } = change;
    const next: AccountInfo = { ...current, ...definedOnly(rest) };
    if (maintenanceWindow === null) delete next.maintenanceWindow;
    else if (maintenanceWindow !== undefined) next.maintenanceWindow = maintenanceWindow;
    if (fallbackUrl === null) delete next.fallbackUrl;
    else if (fallbackUrl !== undefined) next.fallbackUrl = fallbackUrl;
    if (!maintenanceSettingsValid(next))
      throw new HttpError(400, 'account change: maintenanceMode "bypass" needs a fallbackUrl to forward requests to');
    await fleet.putAccount(next);
    return { body: fleet.getAccount(params.accountId) };
  });
  route('DELETE', '/accounts/:accountId', 'stop every instance of an account and forget it', async ({ params }) => {
    await fleet.removeAccount(params.accountId);
    return { status: 204 };
  });

  route('GET', '/accounts/:accountId/state', 'version, pool, maintenance mode and router URL', async ({ params }) => ({
    body: await fleet.accountState(params.accountId),
  }));
  route('GET', '/state', 'version, pool, maintenance mode and router URL of every account', async () => ({
    body: { accounts: await Promise.all(fleet.listAccounts().map((account) => fleet.accountState(account.accountId))) },
  }));
  route('GET', '/accounts/:accountId/router', "the router's counters", ({ params }) => ({
    body: fleet.routerStats(params.accountId),
  }));

  route(
    'POST',
    '/accounts/:accountId/instances',
    'provision: {version, count, requestId} (idempotent on requestId)',
    async ({ req, params }) => {
      const body = parseOrThrow(ProvisionBodySchema, await readJsonBody(req), 'provision request');
      const { instances, created } = fleet.provision(params.accountId, body);
      return { status: created ? 201 : 200, body: { instances } };
    },
  );
  route(
    'GET',
    '/accounts/:accountId/instances',
    "the account's instances (?ids=a,b to pick)",
    async ({ params, query }) => {
      const { ids } = parseOrThrow(InstancesQuerySchema, query, 'query');
      return { body: { instances: await fleet.instancesOf(params.accountId, ids) } };
    },
  );
  route('PUT', '/accounts/:accountId/pool', 'set the request pool: {instanceIds}', async ({ req, params }) => {
    const body = parseOrThrow(PoolBodySchema, await readJsonBody(req), 'pool');
    return { body: await fleet.setPool(params.accountId, body.instanceIds) };
  });
  route(
    'POST',
    '/accounts/:accountId/drain',
    'drain: {instanceIds, timeoutMs?}; answers at once',
    async ({ req, params }) => {
      const body = parseOrThrow(DrainBodySchema, await readJsonBody(req), 'drain request');
      return { status: 202, body: { instances: fleet.drain(params.accountId, body.instanceIds, body.timeoutMs) } };
    },
  );
  route(
    'POST',
    '/accounts/:accountId/decommission',
    'stop and forget at once: {instanceIds}',
    async ({ req, params }) => {
      const body = parseOrThrow(DecommissionBodySchema, await readJsonBody(req), 'decommission request');
      return { body: { decommissioned: await fleet.decommission(params.accountId, body.instanceIds) } };
    },
  );
  route(
    'PUT',
    '/accounts/:accountId/maintenance',
    'maintenance mode: {enabled, forwardTo?}',
    async ({ req, params }) => {
      const mode = parseOrThrow(MaintenanceBodySchema, await readJsonBody(req), 'maintenance mode');
      fleet.getAccount(params.accountId);
      if (mode.enabled && mode.forwardTo !== undefined) {
        const fleetPorts = new Set([...options.hosting.ports(), req.socket.localPort ?? 0]);
        await checkForwardTarget(mode.forwardTo, fleetPorts);
      }
      return { body: await fleet.setMaintenance(params.accountId, mode) };
    },
  );
  route(
    'POST',
    '/accounts/:accountId/probe',
    'send feature requests: {target, requests, timeoutMs?}',
    async ({ req, params }) => {
      const body = parseOrThrow(ProbeBodySchema, await readJsonBody(req), 'probe');
      return { body: { answers: await fleet.probe(params.accountId, body.target, body.requests, body.timeoutMs) } };
    },
  );

  route('GET', '/accounts/:accountId/claim', 'who holds the account (one swap at a time)', ({ params }) => ({
    body: fleet.accountClaim(params.accountId),
  }));
  route(
    'PUT',
    '/accounts/:accountId/claim',
    'claim the account: {holder: {workflowId, runId}, replaces?}; 409 names the holder',
    async ({ req, params }) => {
      const body = parseOrThrow(ClaimBodySchema, await readJsonBody(req), 'claim');
      const { granted, claim } = fleet.claimAccount(params.accountId, body.holder, body.replaces);
      if (granted) return { body: { granted, ...claim } };
      const holder = `${claim.holder?.workflowId} (run ${claim.holder?.runId})`;
      const error = `account ${params.accountId} is claimed by ${holder} since ${claim.since}`;
      return { status: 409, body: { error, granted, ...claim } };
    },
  );
  route(
    'POST',
    '/accounts/:accountId/claim/release',
    'release the claim: {holder}; only its holder frees it',
    async ({ req, params }) => {
      const body = parseOrThrow(ClaimReleaseBodySchema, await readJsonBody(req), 'claim release');
      const { released, claim } = fleet.releaseAccount(params.accountId, body.holder);
      return { body: { released, ...claim } };
    },
  );

  route('GET', '/instances/:instanceId', 'one instance, any account', async ({ params }) => ({
    body: await fleet.instance(params.instanceId),
  }));
  route('GET', '/inventory', 'every instance that is not stopped (leak check)', async () => ({
    body: {
      instances: (await fleet.inventory()).map((view) => ({
        ...toInstanceInfo(view),
        ...(view.pid ? { pid: view.pid } : {}),
      })),
    },
  }));

  return createGuardedServer('control plane', logger, async (req, res) => {
    if (options.metrics && req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') {
      const { contentType, text } = await options.metrics.scrape();
      res.writeHead(200, { 'content-type': contentType }).end(text);
      return;
    }
    await dispatch(routes, req, res, logger, options.token);
  });
}

async function dispatch(
  routes: Route[],
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  token: string | undefined,
): Promise<void> {
  const method = req.method ?? 'GET';
  const target = parseRequestTarget(req.url ?? '/');
  const segments = target.segments.filter(Boolean);
  const pathname = `/${segments.join('/')}`;
  // Liveness stays open, so a load balancer or compose health check needs no secret.
  if (token !== undefined && !(method === 'GET' && pathname === '/healthz')) requireBearerToken(req, token);
  const matching = routes.map((route) => ({ route, params: match(route.segments, segments) })).filter((m) => m.params);
  const found = matching.find((m) => m.route.method === method);
  if (!found) {
    if (matching.length > 0) {
      const allowed = matching.map((m) => m.route.method);
      const message = `${method} is not allowed on ${quote(pathname)}; use ${allowed.join(' or ')}`;
      throw new HttpError(405, message, undefined, { allow: allowed.join(', ') });
    }
    throw new HttpError(404, `no endpoint ${method} ${quote(pathname)}; GET / lists them`);
  }
  const params = found.params!;
  for (const [name, value] of Object.entries(params)) {
    const schema = PARAM_SCHEMAS[name];
    if (schema) parseOrThrow(schema, value, name);
  }
  const answer = await found.route.handler({ req, params, query: singleValuedParams(target) });
  if (answer.status === 204) {
    res.writeHead(204).end();
  } else {
    sendJson(res, answer.status ?? 200, answer.body ?? {});
  }
  logger.debug({ method, path: pathname, status: answer.status ?? 200 }, 'api request');
}

function match(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i];
    else if (pattern[i] !== segments[i]) return undefined;
  }
  return params;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
