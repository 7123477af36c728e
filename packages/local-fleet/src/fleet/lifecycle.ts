import type { EngineSpec } from '../engine/engine-spec';
import { HttpError } from '../http';
import type { EngineExit, EngineHandle, EngineLauncher } from '../instances/engine-launcher';
import type { Logger } from '../logger';
import type { InstanceState } from '../model';

/** One engine instance the fleet started, with where it is in its lifecycle. */
export interface InstanceRecord {
  readonly instanceId: string;
  readonly accountId: string;
  readonly version: string;
  readonly spec: EngineSpec;
  readonly handle: EngineHandle;
  readonly createdAt: string;
  /** The provision request that started it. */
  readonly requestId: string;
  state: InstanceState;
  inPool: boolean;
  error?: string;
  forgetTimer?: NodeJS.Timeout;
}

export interface LifecycleOptions {
  launcher: EngineLauncher;
  logger: Logger;
  /** How long a graceful stop may take before the instance is killed. */
  stopGraceMs: number;
  /** How long a stopped instance stays listed (state 'stopped') before it is forgotten. */
  stoppedRetentionMs: number;
  /** An instance crashed or failed to start; it is already marked failed. */
  onFailed(record: InstanceRecord): void;
}

/**
 * Every engine instance and its lifecycle: starting → ready → draining → stopped, or failed when
 * it crashed or failed to start. Stopped instances stay listed for a while, then are forgotten.
 */
export class InstanceLifecycle {
  private readonly records = new Map<string, InstanceRecord>();
  private shuttingDown = false;

  constructor(private readonly options: LifecycleOptions) {}

  /** True once the fleet is stopping: nothing new starts, and exits are no longer failures. */
  get stopping(): boolean {
    return this.shuttingDown;
  }

  start(spec: EngineSpec, requestId: string): InstanceRecord {
    const record: InstanceRecord = {
      instanceId: spec.instanceId,
      accountId: spec.accountId,
      version: spec.version,
      requestId,
      spec,
      handle: this.options.launcher.launch(spec, { onReady: () => this.markReady(spec.instanceId) }),
      createdAt: new Date().toISOString(),
      state: 'starting',
      inPool: false,
    };
    this.records.set(record.instanceId, record);
    void record.handle.exited.then((exit) => this.onExit(record, exit));
    return record;
  }

  find(instanceId: string): InstanceRecord | undefined {
    return this.records.get(instanceId);
  }

  /** The instance, or 404. */
  get(instanceId: string): InstanceRecord {
    const record = this.records.get(instanceId);
    if (!record)
      throw new HttpError(404, `instance ${instanceId} does not exist (never provisioned, or decommissioned)`);
    return record;
  }

  ofAccount(accountId: string): InstanceRecord[] {
    return [...this.records.values()].filter((record) => record.accountId === accountId);
  }

  /** Every instance that is not stopped. */
  live(): InstanceRecord[] {
    return [...this.records.values()].filter((record) => record.state !== 'stopped');
  }

  /** Graceful stop (in-flight requests finish), killed after the grace time. */
  stopGracefully(record: InstanceRecord): Promise<EngineExit> {
    return record.handle.stop(this.options.stopGraceMs);
  }

  /** Kills an instance that never served (starting or failed) and marks it stopped. */
  killUnserved(record: InstanceRecord): void {
    record.state = 'draining';
    void record.handle.kill().then(() => this.markStopped(record));
  }

  /** Drops the instances from the list at once and kills them. */
  async forgetAndKill(records: InstanceRecord[]): Promise<void> {
    for (const record of records) {
      this.records.delete(record.instanceId);
      clearTimeout(record.forgetTimer);
    }
    await Promise.all(records.map((record) => record.handle.kill()));
  }

  markStopped(record: InstanceRecord): void {
    if (record.state === 'stopped') return;
    record.state = 'stopped';
    if (this.records.get(record.instanceId) !== record) return;
    record.forgetTimer = setTimeout(() => {
      if (this.records.get(record.instanceId) === record) this.records.delete(record.instanceId);
    }, this.options.stoppedRetentionMs);
    record.forgetTimer.unref();
  }

  /** Stops every instance (gracefully, briefly); answers how many there were. */
  async stopAll(): Promise<number> {
    this.shuttingDown = true;
    const records = [...this.records.values()];
    await Promise.all(records.map((record) => record.handle.stop(Math.min(this.options.stopGraceMs, 2_000))));
    for (const record of records) clearTimeout(record.forgetTimer);
    this.records.clear();
    return records.length;
  }

  private markReady(instanceId: string): void {
    const record = this.records.get(instanceId);
    if (record?.state !== 'starting') return;
    record.state = 'ready';
    this.options.logger.info({ accountId: record.accountId, version: record.version, instanceId }, 'instance ready');
  }

  private onExit(record: InstanceRecord, exit: EngineExit): void {
    if (this.shuttingDown || record.state === 'stopped') return;
    if (record.state === 'draining' || exit.requested) {
      this.markStopped(record);
      return;
    }
    record.state = 'failed';
    record.error = exit.reason;
    this.options.logger.error(
      { accountId: record.accountId, version: record.version, instanceId: record.instanceId, reason: exit.reason },
      'instance failed',
    );
    this.options.onFailed(record);
  }
}
