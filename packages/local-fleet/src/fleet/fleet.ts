import type http from 'node:http';
import type { EngineLauncher, FleetMode } from '../instances/engine-launcher';
import type { Logger } from '../logger';
import type { RouterMetrics } from '../metrics';
import type {
  AccountClaim,
  AccountInfo,
  AccountState,
  ClaimHolder,
  DrainStatus,
  FeatureAnswer,
  FeatureRequest,
  InstanceView,
  MaintenanceMode,
  ProbeTarget,
  ProvisionRequest,
} from '../model';
import type { RouterStats } from '../router';
import type { RouterHosting } from '../router-hosting';
import type { VersionCatalogue } from '../versions';
import { Accounts } from './accounts';
import { bootAccount } from './boot';
import { AccountClaims, type ClaimAnswer } from './claims';
import { InstanceLifecycle } from './lifecycle';
import { RequestPools } from './pools';
import { probeAccount } from './probing';
import { Provisioning } from './provisioning';
import { FleetViews } from './views';

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
  /** Where the routers report their requests (the daemon's Prometheus metrics). */
  metrics?: RouterMetrics;
}

/**
 * The fleet's control plane, without HTTP: one call per API operation, each handed to the part that
 * owns it (accounts and routers, provisioning, request pools, instance lifecycle, views).
 */
export class Fleet {
  readonly versions: VersionCatalogue;
  private readonly accounts: Accounts;
  private readonly lifecycle: InstanceLifecycle;
  private readonly views: FleetViews;
  private readonly provisioning: Provisioning;
  private readonly pools: RequestPools;
  private readonly claims: AccountClaims;

  constructor(private readonly options: FleetOptions) {
    const log = options.logger;
    this.versions = options.versions;
    this.accounts = new Accounts(options.hosting, options.agent, log, options.metrics);
    this.lifecycle = new InstanceLifecycle({
      launcher: options.launcher,
      logger: log,
      stopGraceMs: options.stopGraceMs ?? 5_000,
      stoppedRetentionMs: options.stoppedRetentionMs ?? 10 * 60_000,
      onFailed: (record) => this.pools.eject(record),
    });
    this.views = new FleetViews(this.accounts, this.lifecycle, this.versions);
    this.provisioning = new Provisioning(this.accounts, this.versions, this.lifecycle, this.views, log);
    this.pools = new RequestPools(this.accounts, this.lifecycle, log);
    this.claims = new AccountClaims(this.accounts);
  }

  get mode(): FleetMode {
    return this.options.launcher.mode;
  }

  listAccounts(): AccountInfo[] {
    return this.accounts.list();
  }

  getAccount(accountId: string): AccountInfo {
    return this.accounts.get(accountId);
  }

  /** Creates or replaces an account and opens its router; answers whether it was created. */
  async putAccount(account: AccountInfo): Promise<boolean> {
    return this.accounts.put(account);
  }

  /** Stops every instance of the account, closes its router and forgets it. */
  async removeAccount(accountId: string): Promise<void> {
    this.accounts.get(accountId);
    const ids = this.lifecycle.ofAccount(accountId).map((record) => record.instanceId);
    await this.pools.decommission(accountId, ids);
    this.claims.forget(accountId);
    await this.accounts.remove(accountId);
  }

  async bootAccount(accountId: string, version: string): Promise<void> {
    const { accounts, provisioning, lifecycle, pools } = this;
    const parts = { accounts, provisioning, lifecycle, pools, logger: this.options.logger };
    return bootAccount({ ...parts, timeoutMs: this.options.bootTimeoutMs ?? 60_000 }, accountId, version);
  }

  async accountState(accountId: string): Promise<AccountState> {
    return this.views.accountState(accountId);
  }

  routerStats(accountId: string): RouterStats {
    return this.accounts.routerStats(accountId);
  }

  provision(accountId: string, request: ProvisionRequest): { instances: InstanceView[]; created: boolean } {
    return this.provisioning.provision(accountId, request);
  }

  async instancesOf(accountId: string, instanceIds?: string[]): Promise<InstanceView[]> {
    return this.views.instancesOf(accountId, instanceIds);
  }

  async instance(instanceId: string): Promise<InstanceView> {
    return this.views.instance(instanceId);
  }

  async inventory(): Promise<InstanceView[]> {
    return this.views.inventory();
  }

  async setPool(accountId: string, instanceIds: string[]): Promise<AccountState> {
    await this.pools.setPool(accountId, instanceIds);
    return this.views.accountState(accountId);
  }

  drain(accountId: string, instanceIds: string[], timeoutMs: number): DrainStatus[] {
    return this.pools.drain(accountId, instanceIds, timeoutMs);
  }

  async decommission(accountId: string, instanceIds: string[]): Promise<string[]> {
    return this.pools.decommission(accountId, instanceIds);
  }

  async setMaintenance(accountId: string, mode: MaintenanceMode): Promise<AccountState> {
    this.accounts.setMaintenance(accountId, mode);
    return this.views.accountState(accountId);
  }

  accountClaim(accountId: string): AccountClaim {
    return this.claims.get(accountId);
  }

  claimAccount(accountId: string, holder: ClaimHolder, replaces?: ClaimHolder): ClaimAnswer {
    const answer = this.claims.claim(accountId, holder, replaces);
    if (answer.tookOverFrom)
      this.options.logger.warn({ accountId, holder, from: answer.tookOverFrom }, 'account claim taken over');
    return answer;
  }

  releaseAccount(accountId: string, holder: ClaimHolder): { released: boolean; claim: AccountClaim } {
    return this.claims.release(accountId, holder);
  }

  async probe(
    accountId: string,
    target: ProbeTarget,
    requests: FeatureRequest[],
    timeoutMs: number,
  ): Promise<FeatureAnswer[]> {
    const { accounts, lifecycle } = this;
    return probeAccount({ accounts, lifecycle, agent: this.options.agent }, accountId, target, requests, timeoutMs);
  }

  /** Stops every instance (gracefully, briefly) and every router; the fleet is unusable afterwards. */
  async stop(): Promise<void> {
    const instances = await this.lifecycle.stopAll();
    await this.accounts.close();
    await this.options.launcher.close();
    this.options.logger.info({ instances }, 'fleet stopped');
  }
}
