/**
 * A small in-memory FleetProvider for unit tests of the activities and time-skipping tests of the
 * workflow's timeline (maintenance windows hours away, hour-long approval deadlines). The real
 * behaviour is tested against the real fleet daemon; this fake only keeps the bookkeeping honest.
 */
import {
  FleetError,
  type AccountClaim,
  type AccountInfo,
  type AccountState,
  type ClaimHolder,
  type FeatureAnswer,
  type FeatureRequest,
  type FleetProvider,
  type InstanceInfo,
  type MaintenanceMode,
  type ProbeTarget,
  type VersionChannel,
  type VersionInfo,
} from '../../src/platform/provider';

export interface FakeVersion {
  wrongValues?: boolean;
  failsToStart?: boolean;
  /** Answers 500 while in the pool (also when probed directly). */
  errorsInPool?: boolean;
  channel?: VersionChannel;
  /** ISO time; default 2026-01-01. */
  publishedAt?: string;
}

type Instance = InstanceInfo;

export class FakeFleet implements FleetProvider {
  readonly accounts = new Map<string, AccountInfo>();
  readonly versions = new Map<string, FakeVersion>();
  readonly live = new Map<string, Instance>();
  private readonly pools = new Map<string, string[]>();
  private readonly maintenance = new Map<string, MaintenanceMode>();
  private readonly provisions = new Map<string, string[]>();
  /** Account claims: who holds each account now. */
  readonly claims = new Map<string, ClaimHolder>();
  private next = 1;
  /** Every call, for assertions ("maintenance on before migration"). */
  readonly calls: string[] = [];

  addVersion(version: string, spec: FakeVersion = {}): this {
    this.versions.set(version, spec);
    return this;
  }

  addAccount(info: Omit<AccountInfo, 'earlyAccess'> & { earlyAccess?: boolean }, currentVersion: string): this {
    this.accounts.set(info.accountId, { earlyAccess: false, ...info });
    const ids = this.start(info.accountId, currentVersion, info.instanceCount);
    for (const id of ids) Object.assign(this.live.get(id)!, { inPool: true });
    this.pools.set(info.accountId, ids);
    this.maintenance.set(info.accountId, { enabled: false });
    return this;
  }

  private start(accountId: string, version: string, count: number): string[] {
    const failed = this.versions.get(version)?.failsToStart;
    return Array.from({ length: count }, () => {
      const instanceId = `${accountId}_${version}_${this.next++}`;
      this.live.set(instanceId, {
        instanceId,
        accountId,
        version,
        state: failed ? 'failed' : 'ready',
        ready: !failed,
        inPool: false,
        inFlight: 0,
        ...(failed ? { error: 'crashed during init' } : {}),
      });
      return instanceId;
    });
  }

  private account(accountId: string): AccountInfo {
    const account = this.accounts.get(accountId);
    if (!account) throw new FleetError(`unknown account ${accountId}`, 404, false);
    return account;
  }

  async getVersion(version: string): Promise<VersionInfo> {
    const spec = this.versions.get(version);
    if (!spec) throw new FleetError(`unknown version ${version}`, 404, false);
    return versionInfo(version, spec);
  }
  async listVersions(): Promise<VersionInfo[]> {
    return [...this.versions].map(([version, spec]) => versionInfo(version, spec));
  }
  async listAccounts() {
    return [...this.accounts.values()];
  }
  async getAccount(accountId: string) {
    return this.account(accountId);
  }
  async accountState(accountId: string): Promise<AccountState> {
    this.account(accountId);
    const pool = (this.pools.get(accountId) ?? []).map((id) => this.live.get(id)!).filter(Boolean);
    return {
      accountId,
      version: pool[0]?.version ?? null,
      pool,
      maintenance: this.maintenance.get(accountId)!,
      routerUrl: 'http://fake',
    };
  }
  async provision({
    accountId,
    version,
    count,
    requestId,
  }: {
    accountId: string;
    version: string;
    count: number;
    requestId: string;
  }) {
    this.account(accountId);
    this.calls.push(`provision ${accountId} ${version}`);
    if (!this.versions.has(version)) throw new FleetError(`unknown version ${version}`, 404, false);
    const key = `${accountId}/${requestId}`;
    const ids = this.provisions.get(key) ?? this.start(accountId, version, count);
    for (const id of ids) if (this.live.has(id)) this.live.get(id)!.requestId = requestId;
    this.provisions.set(key, ids);
    return ids.map((id) => this.live.get(id)).filter((i): i is Instance => i !== undefined);
  }
  async instances(accountId: string, ids?: string[]) {
    return [...this.live.values()].filter((i) => i.accountId === accountId && (!ids || ids.includes(i.instanceId)));
  }
  async probe(accountId: string, target: ProbeTarget, requests: FeatureRequest[]): Promise<FeatureAnswer[]> {
    const ids = 'router' in target ? (this.pools.get(accountId) ?? []) : target.instanceIds;
    return requests.map((request, index) => {
      const instance = this.live.get(ids[index % ids.length]);
      const spec = instance ? this.versions.get(instance.version) : undefined;
      if (!instance || instance.state !== 'ready' || (spec?.errorsInPool && instance.inPool))
        return { request, ok: false, status: 500, latencyMs: 1, error: 'unavailable' };
      const base = [...`${request.useCase}/${request.entity}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000, 7);
      return { request, ok: true, status: 200, latencyMs: 1, values: { score: spec?.wrongValues ? base + 1 : base } };
    });
  }
  async setPool(accountId: string, ids: string[]) {
    this.calls.push(`setPool ${accountId} ${ids.join(',')}`);
    for (const id of ids)
      if (this.live.get(id)?.state !== 'ready') throw new FleetError(`instance ${id} is not ready`, 409, false);
    for (const id of this.pools.get(accountId) ?? []) if (this.live.has(id)) this.live.get(id)!.inPool = false;
    for (const id of ids) this.live.get(id)!.inPool = true;
    this.pools.set(accountId, ids);
    return this.accountState(accountId);
  }
  async drain(accountId: string, ids: string[]) {
    this.calls.push(`drain ${accountId} ${ids.join(',')}`);
    this.pools.set(
      accountId,
      (this.pools.get(accountId) ?? []).filter((id) => !ids.includes(id)),
    );
    return ids.map((id) => {
      const instance = this.live.get(id);
      if (instance) Object.assign(instance, { state: 'stopped', ready: false, inPool: false });
      return { instanceId: id, state: 'stopped' as const, inFlight: 0 };
    });
  }
  async decommission(accountId: string, ids: string[]) {
    this.calls.push(`decommission ${accountId} ${ids.join(',')}`);
    this.pools.set(
      accountId,
      (this.pools.get(accountId) ?? []).filter((id) => !ids.includes(id)),
    );
    for (const id of ids) this.live.delete(id);
  }
  async setMaintenance(accountId: string, mode: MaintenanceMode) {
    this.calls.push(`maintenance ${accountId} ${mode.enabled ? 'on' : 'off'}`);
    this.maintenance.set(accountId, mode);
    return this.accountState(accountId);
  }
  async inventory() {
    return [...this.live.values()].filter((i) => i.state !== 'stopped');
  }
  async claimAccount(accountId: string, holder: ClaimHolder, replaces?: ClaimHolder) {
    this.account(accountId);
    const same = (a: ClaimHolder, b?: ClaimHolder) =>
      b !== undefined && a.workflowId === b.workflowId && a.runId === b.runId;
    const current = this.claims.get(accountId);
    const granted = !current || same(holder, current) || same(current, replaces);
    if (granted) this.claims.set(accountId, holder);
    return { ...this.claimOf(accountId), granted };
  }
  async releaseAccount(accountId: string, holder: ClaimHolder) {
    this.account(accountId);
    const current = this.claims.get(accountId);
    const released = current?.workflowId === holder.workflowId && current.runId === holder.runId;
    if (released) this.claims.delete(accountId);
    return { ...this.claimOf(accountId), released };
  }
  private claimOf(accountId: string): AccountClaim {
    const holder = this.claims.get(accountId);
    return { accountId, holder: holder ? { ...holder } : null };
  }
}

function versionInfo(version: string, spec: FakeVersion): VersionInfo {
  return { version, channel: spec.channel ?? 'stable', publishedAt: spec.publishedAt ?? '2026-01-01T00:00:00.000Z' };
}
