import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { EngineSpec } from '../engine/engine-spec';
import { HttpError } from '../http';
import type { EngineExit, EngineHandle, EngineLauncher, FleetMode } from '../instances/engine-launcher';
import type { Logger } from '../logger';
import {
  toInstanceInfo,
  type AccountInfo,
  type AccountState,
  type DrainStatus,
  type FeatureAnswer,
  type FeatureRequest,
  type InstanceState,
  type InstanceView,
  type MaintenanceMode,
  type ProbeTarget,
} from '../model';
import { fetchFeature, mapWithLimit } from '../probe';
import { AccountRegistry } from '../registry';
import { AccountRouter } from '../router';
import type { RouterHosting } from '../router-hosting';
import { VersionCatalogue } from '../versions';

export interface FleetOptions {
  launcher: EngineLauncher;
  hosting: RouterHosting;
  /** Keep-alive agent shared by the routers and the probes. */
  agent: http.Agent;
  logger: Logger;
  versions: VersionCatalogue;
  /** How long a graceful stop may take before the instance is killed. */
  stopGraceMs?: number;
  /** How long a stopped instance stays listed (state 'stopped') before it is forgotten. */
  stoppedRetentionMs?: number;
  /** How long the boot of an account waits for its instances to become ready. */
  bootTimeoutMs?: number;
}

interface InstanceRecord {
  readonly instanceId: string;
  readonly accountId: string;
  readonly version: string;
  readonly spec: EngineSpec;
  readonly handle: EngineHandle;
  readonly createdAt: string;
  state: InstanceState;
  inPool: boolean;
  error?: string;
  forgetTimer?: NodeJS.Timeout;
}

interface AccountRuntime {
  router: AccountRouter;
  routerUrl: string;
}

interface ProvisionRecord {
  fingerprint: string;
  instances: Array<{ instanceId: string; version: string }>;
}

const DRAIN_POLL_MS = 25;
const PROBE_CONCURRENCY = 8;
const MAX_REMEMBERED_PROVISIONS = 50_000;

/**
 * The fleet's control plane, without HTTP: accounts and their routers, the version catalogue, and
 * every engine instance with its lifecycle (starting → ready → draining → stopped; failed).
 */
export class Fleet {
  readonly registry = new AccountRegistry();
  readonly versions: VersionCatalogue;
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly runtimes = new Map<string, AccountRuntime>();
  private readonly provisions = new Map<string, ProvisionRecord>();
  private readonly log: Logger;
  private readonly stopGraceMs: number;
  private readonly stoppedRetentionMs: number;
  private readonly bootTimeoutMs: number;
  private stopping = false;

  constructor(private readonly options: FleetOptions) {
    this.versions = options.versions;
    this.log = options.logger;
    this.stopGraceMs = options.stopGraceMs ?? 5_000;
    this.stoppedRetentionMs = options.stoppedRetentionMs ?? 10 * 60_000;
    this.bootTimeoutMs = options.bootTimeoutMs ?? 60_000;
  }

  get mode(): FleetMode {
    return this.options.launcher.mode;
  }

  // ---- accounts ----

  listAccounts(): AccountInfo[] {
    return this.registry.list();
  }

  getAccount(accountId: string): AccountInfo {
    return this.registry.get(accountId);
  }

  /** Creates or replaces an account and opens its router; answers whether it was created. */
  async putAccount(account: AccountInfo): Promise<boolean> {
    const created = this.registry.put(account);
    if (!this.runtimes.has(account.accountId)) {
      const router = new AccountRouter(account.accountId, this.options.agent, this.log, () =>
        this.registry.secondsUntilWindowEnds(account.accountId),
      );
      // Reserve the slot before the await so a concurrent put does not open a second router.
      const runtime: AccountRuntime = { router, routerUrl: '' };
      this.runtimes.set(account.accountId, runtime);
      try {
        runtime.routerUrl = await this.options.hosting.attach(router);
      } catch (error) {
        this.runtimes.delete(account.accountId);
        if (created) this.registry.remove(account.accountId);
        throw new HttpError(503, `could not open a router for account ${account.accountId}: ${errorMessage(error)}`);
      }
    }
    return created;
  }

  /** Stops every instance of the account, closes its router and forgets it. */
  async removeAccount(accountId: string): Promise<void> {
    this.registry.get(accountId);
    const ids = [...this.instances.values()]
      .filter((record) => record.accountId === accountId)
      .map((record) => record.instanceId);
    await this.decommission(accountId, ids);
    this.registry.remove(accountId);
    this.runtimes.delete(accountId);
    await this.options.hosting.detach(accountId);
    this.log.info({ accountId }, 'account removed');
  }

  /** Provisions the account at `version`, waits for readiness and makes those instances the pool. */
  async bootAccount(accountId: string, version: string): Promise<void> {
    const account = this.registry.get(accountId);
    const log = this.log.child({ accountId, version });
    const { instances } = this.provision(accountId, {
      version,
      count: account.instanceCount,
      requestId: `boot/${version}/${Date.now()}`,
    });
    const ids = instances.map((instance) => instance.instanceId);
    const deadline = Date.now() + this.bootTimeoutMs;
    for (;;) {
      if (this.stopping) return;
      const states = ids.map((id) => this.instances.get(id)?.state);
      if (states.every((state) => state === 'ready')) break;
      if (states.some((state) => state !== 'starting' && state !== 'ready') || Date.now() > deadline) {
        log.error({ states }, 'boot failed: instances did not all become ready; the account has an empty pool');
        await this.decommission(accountId, ids);
        return;
      }
      await sleep(DRAIN_POLL_MS * 2);
    }
    await this.setPool(accountId, ids);
    log.info({ pool: ids }, 'account booted');
  }

  async accountState(accountId: string): Promise<AccountState> {
    this.registry.get(accountId);
    const runtime = this.runtime(accountId);
    const pool = await Promise.all(runtime.router.poolIds().map((id) => this.view(this.record(id))));
    return {
      accountId,
      version: pool[0]?.version ?? null,
      pool: pool.map(toInstanceInfo),
      maintenance: runtime.router.getMaintenance(),
      routerUrl: runtime.routerUrl,
    };
  }

  routerStats(accountId: string) {
    this.registry.get(accountId);
    return this.runtime(accountId).router.stats();
  }

  // ---- instances ----

  /**
   * Starts `count` instances of `version`. Idempotent on (account, requestId): a repeat answers the
   * same instances and starts nothing; reusing a requestId with other parameters is refused (422).
   */
  provision(
    accountId: string,
    request: { version: string; count: number; requestId: string },
  ): { instances: InstanceView[]; created: boolean } {
    const account = this.registry.get(accountId);
    const key = `${accountId}\u0000${request.requestId}`;
    const fingerprint = `${request.version}\u0000${request.count}`;
    const earlier = this.provisions.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          `requestId ${request.requestId} was already used for account ${accountId} with other parameters; use a new requestId for a new provisioning`,
        );
      }
      return {
        instances: earlier.instances.map((instance) => this.viewOrStopped(accountId, instance)),
        created: false,
      };
    }
    const versionSpec = this.versions.get(request.version);
    if (this.stopping) throw new HttpError(503, 'the fleet daemon is shutting down');

    const records: InstanceRecord[] = [];
    for (let i = 0; i < request.count; i++) {
      const instanceId = `${accountId}_${request.version.replace(/\+/g, '-')}_${randomBytes(3).toString('hex')}`;
      const spec: EngineSpec = {
        instanceId,
        accountId,
        version: request.version,
        lineage: versionSpec.lineage,
        useCases: account.useCases,
        initMs: versionSpec.initMs,
        ...(versionSpec.fault ? { fault: versionSpec.fault } : {}),
      };
      const record: InstanceRecord = {
        instanceId,
        accountId,
        version: request.version,
        spec,
        handle: this.options.launcher.launch(spec, { onReady: () => this.markReady(instanceId) }),
        createdAt: new Date().toISOString(),
        state: 'starting',
        inPool: false,
      };
      this.instances.set(instanceId, record);
      void record.handle.exited.then((exit) => this.onExit(record, exit));
      records.push(record);
    }
    this.remember(key, { fingerprint, instances: records.map(({ instanceId, version }) => ({ instanceId, version })) });
    this.log.info(
      {
        accountId,
        version: request.version,
        requestId: request.requestId,
        instanceIds: records.map((r) => r.instanceId),
      },
      'provisioning instances',
    );
    return { instances: records.map((record) => this.quickView(record)), created: true };
  }

  /** The account's instances (or the given ones); ids that are unknown or forgotten are left out. */
  async instancesOf(accountId: string, instanceIds?: string[]): Promise<InstanceView[]> {
    this.registry.get(accountId);
    const records = instanceIds
      ? instanceIds.map((id) => this.instances.get(id)).filter((r): r is InstanceRecord => r?.accountId === accountId)
      : [...this.instances.values()].filter((record) => record.accountId === accountId);
    return Promise.all(records.map((record) => this.view(record)));
  }

  async instance(instanceId: string): Promise<InstanceView> {
    return this.view(this.record(instanceId));
  }

  /** Every instance that is not stopped: running, starting, draining, or failed and not yet decommissioned. */
  async inventory(): Promise<InstanceView[]> {
    const live = [...this.instances.values()].filter((record) => record.state !== 'stopped');
    return Promise.all(live.map((record) => this.view(record)));
  }

  /**
   * Makes exactly these instances the request pool, in one switch. Every one must belong to the
   * account, be ready, and run the same version. Newcomers are told they are promoted first (which
   * arms the after-promotion faults).
   */
  async setPool(accountId: string, instanceIds: string[]): Promise<AccountState> {
    this.registry.get(accountId);
    const runtime = this.runtime(accountId);
    const ids = [...new Set(instanceIds)];
    const records = ids.map((id) => this.record(id));
    this.checkPoolable(accountId, records);
    const current = new Set(runtime.router.poolIds());
    const newcomers = records.filter((record) => !current.has(record.instanceId));
    await Promise.all(
      newcomers.map((record) =>
        record.handle.setPromoted(true).catch((error: unknown) => {
          throw new HttpError(
            409,
            `instance ${record.instanceId} did not acknowledge its promotion: ${errorMessage(error)}`,
          );
        }),
      ),
    );
    // Things may have moved while the notices were out (a crash, a drain, a decommission): look every
    // instance up again, check again, then switch.
    this.checkPoolable(
      accountId,
      ids.map((id) => this.record(id)),
    );
    runtime.router.setPool(records.map((record) => ({ instanceId: record.instanceId, url: record.handle.url! })));
    for (const id of current) {
      const record = this.instances.get(id);
      if (record) record.inPool = false;
    }
    for (const record of records) record.inPool = true;
    const versions = [...new Set(records.map((record) => record.version))];
    this.log.info(
      { accountId, version: versions[0] ?? null, pool: ids, previous: [...current] },
      'request pool switched',
    );
    return this.accountState(accountId);
  }

  /**
   * Takes instances out of the pool and stops each once nothing is in flight to it (counted by the
   * router and by the instance itself), or kills it when `timeoutMs` passes. Answers at once.
   */
  drain(accountId: string, instanceIds: string[], timeoutMs: number): DrainStatus[] {
    this.registry.get(accountId);
    const runtime = this.runtime(accountId);
    const known = [...new Set(instanceIds)].map((id) => this.instances.get(id));
    for (const record of known) {
      if (record && record.accountId !== accountId) {
        throw new HttpError(
          409,
          `instance ${record.instanceId} belongs to account ${record.accountId}, not ${accountId}`,
        );
      }
    }
    const leaving = new Set(known.filter((r) => r?.inPool).map((r) => r!.instanceId));
    if (leaving.size > 0) this.removeFromPool(runtime, leaving);

    return [...new Set(instanceIds)].map((id) => {
      const record = this.instances.get(id);
      if (!record) return { instanceId: id, state: 'stopped' as const, inFlight: 0 };
      if (record.state === 'ready') {
        record.state = 'draining';
        this.log.info({ accountId, version: record.version, instanceId: id, timeoutMs }, 'draining instance');
        void this.finishDrain(record, runtime.router, timeoutMs);
      } else if (record.state === 'starting' || record.state === 'failed') {
        record.state = 'draining';
        void record.handle.kill().then(() => this.markStopped(record));
      }
      return { instanceId: id, state: record.state, inFlight: runtime.router.inFlightTo(id) };
    });
  }

  /** Stops instances at once (no drain) and forgets them; unknown ids are ignored. */
  async decommission(accountId: string, instanceIds: string[]): Promise<string[]> {
    this.registry.get(accountId);
    const runtime = this.runtime(accountId);
    const records = [...new Set(instanceIds)]
      .map((id) => this.instances.get(id))
      .filter((record): record is InstanceRecord => record !== undefined);
    for (const record of records) {
      if (record.accountId !== accountId) {
        throw new HttpError(
          409,
          `instance ${record.instanceId} belongs to account ${record.accountId}, not ${accountId}`,
        );
      }
    }
    const leaving = new Set(records.filter((record) => record.inPool).map((record) => record.instanceId));
    if (leaving.size > 0) this.removeFromPool(runtime, leaving);
    for (const record of records) {
      this.instances.delete(record.instanceId);
      clearTimeout(record.forgetTimer);
    }
    await Promise.all(records.map((record) => record.handle.kill()));
    if (records.length > 0) {
      this.log.info({ accountId, instanceIds: records.map((r) => r.instanceId) }, 'instances decommissioned');
    }
    return records.map((record) => record.instanceId);
  }

  async setMaintenance(accountId: string, mode: MaintenanceMode): Promise<AccountState> {
    this.registry.get(accountId);
    this.runtime(accountId).router.setMaintenance(mode);
    this.log.info({ accountId, maintenance: mode }, mode.enabled ? 'maintenance mode on' : 'maintenance mode off');
    return this.accountState(accountId);
  }

  /** Sends each request once, to the router or round-robin over the given instances. */
  async probe(
    accountId: string,
    target: ProbeTarget,
    requests: FeatureRequest[],
    timeoutMs: number,
  ): Promise<FeatureAnswer[]> {
    this.registry.get(accountId);
    const runtime = this.runtime(accountId);
    if ('router' in target) {
      return mapWithLimit(requests, PROBE_CONCURRENCY, (request) =>
        fetchFeature(this.options.agent, runtime.routerUrl, request, timeoutMs),
      );
    }
    const records = target.instanceIds.map((id) => this.record(id));
    for (const record of records) {
      if (record.accountId !== accountId) {
        throw new HttpError(
          409,
          `instance ${record.instanceId} belongs to account ${record.accountId}, not ${accountId}`,
        );
      }
    }
    return mapWithLimit(requests, PROBE_CONCURRENCY, async (request, index) => {
      const record = records[index % records.length];
      const url = record.handle.url;
      if (!url || record.state === 'stopped' || record.state === 'failed') {
        return {
          request,
          ok: false,
          status: 0,
          latencyMs: 0,
          error: `instance ${record.instanceId} is ${record.state}`,
          instanceId: record.instanceId,
          version: record.version,
        };
      }
      return fetchFeature(this.options.agent, url, request, timeoutMs);
    });
  }

  /** Stops every instance (gracefully, briefly) and every router; the fleet is unusable afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    const records = [...this.instances.values()];
    await Promise.all(records.map((record) => record.handle.stop(Math.min(this.stopGraceMs, 2_000))));
    for (const record of records) clearTimeout(record.forgetTimer);
    this.instances.clear();
    await this.options.hosting.close();
    await this.options.launcher.close();
    this.log.info({ instances: records.length }, 'fleet stopped');
  }

  // ---- internals ----

  private runtime(accountId: string): AccountRuntime {
    const runtime = this.runtimes.get(accountId);
    if (!runtime) throw new HttpError(404, `account ${accountId} does not exist`);
    return runtime;
  }

  private record(instanceId: string): InstanceRecord {
    const record = this.instances.get(instanceId);
    if (!record)
      throw new HttpError(404, `instance ${instanceId} does not exist (never provisioned, or decommissioned)`);
    return record;
  }

  private checkPoolable(accountId: string, records: InstanceRecord[]): void {
    for (const record of records) {
      if (record.accountId !== accountId) {
        throw new HttpError(
          409,
          `instance ${record.instanceId} belongs to account ${record.accountId}, not ${accountId}`,
        );
      }
      if (record.state !== 'ready' || !record.handle.url) {
        throw new HttpError(
          409,
          `instance ${record.instanceId} is ${record.state}; only ready instances can join the request pool`,
        );
      }
    }
    const versions = new Set(records.map((record) => record.version));
    if (versions.size > 1) {
      throw new HttpError(
        409,
        `a request pool serves one version, but these instances run ${[...versions].join(' and ')}`,
      );
    }
  }

  private removeFromPool(runtime: AccountRuntime, leaving: Set<string>): void {
    const remaining = runtime.router
      .poolIds()
      .filter((id) => !leaving.has(id))
      .flatMap((id) => {
        const url = this.instances.get(id)?.handle.url;
        return url ? [{ instanceId: id, url }] : [];
      });
    runtime.router.setPool(remaining);
    for (const id of leaving) {
      const record = this.instances.get(id);
      if (record) record.inPool = false;
    }
  }

  private async finishDrain(record: InstanceRecord, router: AccountRouter, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const log = this.log.child({ accountId: record.accountId, version: record.version, instanceId: record.instanceId });
    for (;;) {
      if (record.state !== 'draining') return;
      const routed = router.inFlightTo(record.instanceId);
      const { inFlight } = routed > 0 ? { inFlight: routed } : await record.handle.stats();
      if (routed === 0 && inFlight === 0) {
        await record.handle.stop(this.stopGraceMs);
        log.info('drained: no request in flight; instance stopped');
        break;
      }
      if (Date.now() >= deadline) {
        log.warn({ inFlight: Math.max(routed, inFlight), timeoutMs }, 'drain timed out; killing the instance');
        await record.handle.kill();
        break;
      }
      await sleep(DRAIN_POLL_MS);
    }
    this.markStopped(record);
  }

  private markReady(instanceId: string): void {
    const record = this.instances.get(instanceId);
    if (record?.state !== 'starting') return;
    record.state = 'ready';
    this.log.info({ accountId: record.accountId, version: record.version, instanceId }, 'instance ready');
  }

  private markStopped(record: InstanceRecord): void {
    if (record.state === 'stopped') return;
    record.state = 'stopped';
    if (this.instances.get(record.instanceId) !== record) return;
    record.forgetTimer = setTimeout(() => {
      if (this.instances.get(record.instanceId) === record) this.instances.delete(record.instanceId);
    }, this.stoppedRetentionMs);
    record.forgetTimer.unref();
  }

  private onExit(record: InstanceRecord, exit: EngineExit): void {
    if (this.stopping || record.state === 'stopped') return;
    if (record.state === 'draining' || exit.requested) {
      this.markStopped(record);
      return;
    }
    record.state = 'failed';
    record.error = exit.reason;
    this.log.error(
      { accountId: record.accountId, version: record.version, instanceId: record.instanceId, reason: exit.reason },
      'instance failed',
    );
    if (record.inPool) {
      const runtime = this.runtimes.get(record.accountId);
      if (runtime) this.removeFromPool(runtime, new Set([record.instanceId]));
      this.log.warn(
        { accountId: record.accountId, instanceId: record.instanceId },
        'failed instance ejected from the request pool',
      );
    }
  }

  private remember(key: string, provision: ProvisionRecord): void {
    if (this.provisions.size >= MAX_REMEMBERED_PROVISIONS) {
      const oldest = this.provisions.keys().next().value;
      if (oldest !== undefined) this.provisions.delete(oldest);
    }
    this.provisions.set(key, provision);
  }

  private viewOrStopped(accountId: string, instance: { instanceId: string; version: string }): InstanceView {
    const record = this.instances.get(instance.instanceId);
    if (record) return this.quickView(record);
    const spec = this.versions.find(instance.version);
    return {
      instanceId: instance.instanceId,
      accountId,
      version: instance.version,
      state: 'stopped',
      ready: false,
      inPool: false,
      inFlight: 0,
      lineage: spec?.lineage ?? 'unknown',
      createdAt: '',
    };
  }

  /** A view without asking the instance for its in-flight count. */
  private quickView(record: InstanceRecord, engineInFlight = 0): InstanceView {
    const router = this.runtimes.get(record.accountId)?.router;
    const view: InstanceView = {
      instanceId: record.instanceId,
      accountId: record.accountId,
      version: record.version,
      state: record.state,
      ready: record.state === 'ready',
      inPool: record.inPool,
      inFlight: Math.max(engineInFlight, router?.inFlightTo(record.instanceId) ?? 0),
      lineage: record.spec.lineage,
      createdAt: record.createdAt,
    };
    if (record.error) view.error = record.error;
    if (record.spec.fault) view.fault = record.spec.fault.type;
    if (record.handle.url && record.state !== 'stopped' && record.state !== 'failed') view.url = record.handle.url;
    if (record.handle.pid !== undefined) view.pid = record.handle.pid;
    return view;
  }

  private async view(record: InstanceRecord): Promise<InstanceView> {
    const running = record.state === 'ready' || record.state === 'draining' || record.state === 'starting';
    const stats = running ? await record.handle.stats() : undefined;
    return this.quickView(record, stats?.inFlight ?? 0);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
