import { randomBytes } from 'node:crypto';
import type { EngineSpec } from '../engine/engine-spec';
import { HttpError } from '../http';
import type { Logger } from '../logger';
import type { InstanceView, ProvisionRequest } from '../model';
import type { VersionCatalogue } from '../versions';
import type { Accounts } from './accounts';
import type { InstanceLifecycle, InstanceRecord } from './lifecycle';
import type { FleetViews } from './views';

interface ProvisionRecord {
  fingerprint: string;
  instances: Array<{ instanceId: string; version: string }>;
}

const MAX_REMEMBERED_PROVISIONS = 50_000;

/**
 * Starts new instances of a version for an account. Idempotent on (account, requestId): a repeat
 * answers the same instances and starts nothing; reusing a requestId with other parameters is
 * refused (422). The most recent 50,000 request ids are remembered.
 */
export class Provisioning {
  private readonly remembered = new Map<string, ProvisionRecord>();

  constructor(
    private readonly accounts: Accounts,
    private readonly versions: VersionCatalogue,
    private readonly lifecycle: InstanceLifecycle,
    private readonly views: FleetViews,
    private readonly log: Logger,
  ) {}

  provision(accountId: string, request: ProvisionRequest): { instances: InstanceView[]; created: boolean } {
    const account = this.accounts.get(accountId);
    const key = `${accountId}\u0000${request.requestId}`;
    const fingerprint = `${request.version}\u0000${request.count}`;
    const earlier = this.remembered.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          `requestId ${request.requestId} was already used for account ${accountId} with other parameters; use a new requestId for a new provisioning`,
        );
      }
      return {
        instances: earlier.instances.map((instance) =>
          this.views.viewOrStopped(accountId, { ...instance, requestId: request.requestId }),
        ),
        created: false,
      };
    }
    const versionSpec = this.versions.get(request.version);
    if (this.lifecycle.stopping) throw new HttpError(503, 'the fleet daemon is shutting down');

    const records: InstanceRecord[] = [];
    for (let i = 0; i < request.count; i++) {
      const spec: EngineSpec = {
        instanceId: `${accountId}_${request.version.replace(/\+/g, '-')}_${randomBytes(3).toString('hex')}`,
        accountId,
        version: request.version,
        lineage: versionSpec.lineage,
        useCases: account.useCases,
        initMs: versionSpec.initMs,
        ...(versionSpec.fault ? { fault: versionSpec.fault } : {}),
      };
      records.push(this.lifecycle.start(spec, request.requestId));
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
    return { instances: records.map((record) => this.views.quickView(record)), created: true };
  }

  private remember(key: string, provision: ProvisionRecord): void {
    if (this.remembered.size >= MAX_REMEMBERED_PROVISIONS) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    this.remembered.set(key, provision);
  }
}
