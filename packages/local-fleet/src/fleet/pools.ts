import { HttpError } from '../http';
import type { Logger } from '../logger';
import type { DrainStatus } from '../model';
import type { AccountRouter } from '../router';
import type { AccountRuntime, Accounts } from './accounts';
import type { InstanceLifecycle, InstanceRecord } from './lifecycle';
import { checkOwner, errorMessage, sleep } from './support';

const DRAIN_POLL_MS = 25;

/**
 * Who is in an account's request pool: the atomic switch, the drain that lets in-flight requests
 * finish before an instance stops, the decommission that stops at once, and the ejection of a
 * crashed instance.
 */
export class RequestPools {
  constructor(
    private readonly accounts: Accounts,
    private readonly lifecycle: InstanceLifecycle,
    private readonly log: Logger,
  ) {}

  /**
   * Makes exactly these instances the request pool, in one switch. Every one must belong to the
   * account, be ready, and run the same version. Newcomers are told they are promoted first (which
   * arms the after-promotion faults).
   */
  async setPool(accountId: string, instanceIds: string[]): Promise<void> {
    this.accounts.get(accountId);
    const runtime = this.accounts.runtime(accountId);
    const ids = [...new Set(instanceIds)];
    const records = ids.map((id) => this.lifecycle.get(id));
    checkPoolable(accountId, records);
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
    checkPoolable(
      accountId,
      ids.map((id) => this.lifecycle.get(id)),
    );
    runtime.router.setPool(records.map((record) => ({ instanceId: record.instanceId, url: record.handle.url! })));
    for (const id of current) {
      const record = this.lifecycle.find(id);
      if (record) record.inPool = false;
    }
    for (const record of records) record.inPool = true;
    const versions = [...new Set(records.map((record) => record.version))];
    this.log.info(
      { accountId, version: versions[0] ?? null, pool: ids, previous: [...current] },
      'request pool switched',
    );
  }

  /**
   * Takes instances out of the pool and stops each once nothing is in flight to it (counted by the
   * router and by the instance itself), or kills it when `timeoutMs` passes. Answers at once.
   */
  drain(accountId: string, instanceIds: string[], timeoutMs: number): DrainStatus[] {
    this.accounts.get(accountId);
    const runtime = this.accounts.runtime(accountId);
    const known = [...new Set(instanceIds)].map((id) => this.lifecycle.find(id));
    for (const record of known) if (record) checkOwner(record, accountId);
    const leaving = new Set(known.filter((r) => r?.inPool).map((r) => r!.instanceId));
    if (leaving.size > 0) this.removeFromPool(runtime, leaving);

    return [...new Set(instanceIds)].map((id) => {
      const record = this.lifecycle.find(id);
      if (!record) return { instanceId: id, state: 'stopped' as const, inFlight: 0 };
      if (record.state === 'ready') {
        record.state = 'draining';
        this.log.info({ accountId, version: record.version, instanceId: id, timeoutMs }, 'draining instance');
        void this.finishDrain(record, runtime.router, timeoutMs);
      } else if (record.state === 'starting' || record.state === 'failed') {
        this.lifecycle.killUnserved(record);
      }
      return { instanceId: id, state: record.state, inFlight: runtime.router.inFlightTo(id) };
    });
  }

  /** Stops instances at once (no drain) and forgets them; unknown ids are ignored. */
  async decommission(accountId: string, instanceIds: string[]): Promise<string[]> {
    this.accounts.get(accountId);
    const runtime = this.accounts.runtime(accountId);
    const records = [...new Set(instanceIds)]
      .map((id) => this.lifecycle.find(id))
      .filter((record): record is InstanceRecord => record !== undefined);
    for (const record of records) checkOwner(record, accountId);
    const leaving = new Set(records.filter((record) => record.inPool).map((record) => record.instanceId));
    if (leaving.size > 0) this.removeFromPool(runtime, leaving);
    await this.lifecycle.forgetAndKill(records);
    if (records.length > 0) {
      this.log.info({ accountId, instanceIds: records.map((r) => r.instanceId) }, 'instances decommissioned');
    }
    return records.map((record) => record.instanceId);
  }

  /** A crashed instance leaves its pool at once. */
  eject(record: InstanceRecord): void {
    if (!record.inPool) return;
    const runtime = this.accounts.find(record.accountId);
    if (runtime) this.removeFromPool(runtime, new Set([record.instanceId]));
    this.log.warn(
      { accountId: record.accountId, instanceId: record.instanceId },
      'failed instance ejected from the request pool',
    );
  }

  private removeFromPool(runtime: AccountRuntime, leaving: Set<string>): void {
    const remaining = runtime.router
      .poolIds()
      .filter((id) => !leaving.has(id))
      .flatMap((id) => {
        const url = this.lifecycle.find(id)?.handle.url;
        return url ? [{ instanceId: id, url }] : [];
      });
    runtime.router.setPool(remaining);
    for (const id of leaving) {
      const record = this.lifecycle.find(id);
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
        await this.lifecycle.stopGracefully(record);
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
    this.lifecycle.markStopped(record);
  }
}

function checkPoolable(accountId: string, records: InstanceRecord[]): void {
  for (const record of records) {
    checkOwner(record, accountId);
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
