import type http from 'node:http';
import { HttpError } from '../http';
import type { Logger } from '../logger';
import type { RouterMetrics } from '../metrics';
import type { AccountInfo, MaintenanceMode } from '../model';
import { AccountRegistry } from '../registry';
import { AccountRouter, type RouterStats } from '../router';
import type { RouterHosting } from '../router-hosting';
import { errorMessage } from './support';

export interface AccountRuntime {
  router: AccountRouter;
  routerUrl: string;
}

/** The customer accounts and, for each, the router that serves its request pool. */
export class Accounts {
  readonly registry = new AccountRegistry();
  private readonly runtimes = new Map<string, AccountRuntime>();

  constructor(
    private readonly hosting: RouterHosting,
    /** Keep-alive agent the routers proxy with. */
    private readonly agent: http.Agent,
    private readonly log: Logger,
    private readonly metrics?: RouterMetrics,
  ) {}

  list(): AccountInfo[] {
    return this.registry.list();
  }

  /** The account, or 404. */
  get(accountId: string): AccountInfo {
    return this.registry.get(accountId);
  }

  /** Creates or replaces an account and opens its router; answers whether it was created. */
  async put(account: AccountInfo): Promise<boolean> {
    const created = this.registry.put(account);
    if (!this.runtimes.has(account.accountId)) {
      const router = new AccountRouter(
        account.accountId,
        this.agent,
        this.log,
        () => this.registry.secondsUntilWindowEnds(account.accountId),
        this.metrics,
      );
      // Reserve the slot before the await so a concurrent put does not open a second router.
      const runtime: AccountRuntime = { router, routerUrl: '' };
      this.runtimes.set(account.accountId, runtime);
      try {
        runtime.routerUrl = await this.hosting.attach(router);
      } catch (error) {
        this.runtimes.delete(account.accountId);
        if (created) this.registry.remove(account.accountId);
        throw new HttpError(503, `could not open a router for account ${account.accountId}: ${errorMessage(error)}`);
      }
    }
    return created;
  }

  /** Forgets the account and closes its router (its instances are the caller's to stop first). */
  async remove(accountId: string): Promise<void> {
    this.registry.remove(accountId);
    this.runtimes.delete(accountId);
    await this.hosting.detach(accountId);
    this.log.info({ accountId }, 'account removed');
  }

  /** The account's router and its URL, or 404. */
  runtime(accountId: string): AccountRuntime {
    const runtime = this.runtimes.get(accountId);
    if (!runtime) throw new HttpError(404, `account ${accountId} does not exist`);
    return runtime;
  }

  /** The account's router and its URL, if it still has them. */
  find(accountId: string): AccountRuntime | undefined {
    return this.runtimes.get(accountId);
  }

  routerStats(accountId: string): RouterStats {
    this.registry.get(accountId);
    return this.runtime(accountId).router.stats();
  }

  setMaintenance(accountId: string, mode: MaintenanceMode): void {
    this.registry.get(accountId);
    this.runtime(accountId).router.setMaintenance(mode);
    this.log.info({ accountId, maintenance: mode }, mode.enabled ? 'maintenance mode on' : 'maintenance mode off');
  }

  /** Closes every router. */
  close(): Promise<void> {
    return this.hosting.close();
  }
}
