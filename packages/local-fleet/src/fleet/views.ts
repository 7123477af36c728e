import type { AccountState, InstanceView } from '../model';
import { toInstanceInfo } from '../model';
import type { VersionCatalogue } from '../versions';
import type { Accounts } from './accounts';
import type { InstanceLifecycle, InstanceRecord } from './lifecycle';

/** What the API shows of instances and accounts: instance views, an account's state, the inventory. */
export class FleetViews {
  constructor(
    private readonly accounts: Accounts,
    private readonly lifecycle: InstanceLifecycle,
    private readonly versions: VersionCatalogue,
  ) {}

  async accountState(accountId: string): Promise<AccountState> {
    this.accounts.get(accountId);
    const runtime = this.accounts.runtime(accountId);
    const pool = await Promise.all(runtime.router.poolIds().map((id) => this.view(this.lifecycle.get(id))));
    return {
      accountId,
      version: pool[0]?.version ?? null,
      pool: pool.map(toInstanceInfo),
      maintenance: runtime.router.getMaintenance(),
      routerUrl: runtime.routerUrl,
    };
  }

  /** The account's instances (or the given ones); ids that are unknown or forgotten are left out. */
  async instancesOf(accountId: string, instanceIds?: string[]): Promise<InstanceView[]> {
    this.accounts.get(accountId);
    const records = instanceIds
      ? instanceIds.map((id) => this.lifecycle.find(id)).filter((r): r is InstanceRecord => r?.accountId === accountId)
      : this.lifecycle.ofAccount(accountId);
    return Promise.all(records.map((record) => this.view(record)));
  }

  instance(instanceId: string): Promise<InstanceView> {
    return this.view(this.lifecycle.get(instanceId));
  }

  /** Every instance that is not stopped: running, starting, draining, or failed and not yet decommissioned. */
  inventory(): Promise<InstanceView[]> {
    return Promise.all(this.lifecycle.live().map((record) => this.view(record)));
  }

  /** A view of an instance that may have been forgotten since: then it reads as stopped. */
  viewOrStopped(accountId: string, instance: { instanceId: string; version: string; requestId: string }): InstanceView {
    const record = this.lifecycle.find(instance.instanceId);
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
      requestId: instance.requestId,
      lineage: spec?.lineage ?? 'unknown',
      createdAt: '',
    };
  }

  /** A view without asking the instance for its in-flight count. */
  quickView(record: InstanceRecord, engineInFlight = 0): InstanceView {
    const router = this.accounts.find(record.accountId)?.router;
    const view: InstanceView = {
      instanceId: record.instanceId,
      accountId: record.accountId,
      version: record.version,
      state: record.state,
      ready: record.state === 'ready',
      inPool: record.inPool,
      inFlight: Math.max(engineInFlight, router?.inFlightTo(record.instanceId) ?? 0),
      requestId: record.requestId,
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
