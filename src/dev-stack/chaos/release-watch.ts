/**
 * Follows the release until its workflow ends, through worker kills and a server restart: every
 * call may fail for a while and is simply tried again. The stage is read with the `status` query
 * on a loop of its own (a query waits while no worker is alive), and each change is logged.
 */
import type { Client } from '@temporalio/client';
import { releases, type ReleaseHandle } from '../../client';
import type { ReleaseOverview } from '../../domain/release/overview';
import type { AccountStatusView, ReleaseResultView } from '../../domain/release/view';
import type { FaultLog } from './fault-log';
import { sleep } from './time';

export interface ReleaseEnding {
  completed: boolean;
  /** The last stage seen, or how the workflow ended when it did not complete. */
  stage: string | null;
  /** The release's result (its final status) when the workflow completed. */
  result?: ReleaseResultView;
  /** The last status seen, with its accounts (the `accounts` query), for the report when there is no result. */
  lastStatus?: ReleaseOverview & { accounts: Record<string, AccountStatusView> };
}

export interface WatchOptions {
  deadline: number;
  /** Give up once the release has been held this long after `faultsOver` resolved. */
  heldGraceMs: number;
  faultsOver: Promise<unknown>;
  /** Stops the watch (Ctrl-C, or a fault runner that failed). */
  signal: AbortSignal;
}

export async function watchRelease(
  client: Client,
  handle: ReleaseHandle,
  options: WatchOptions,
  faults: FaultLog,
): Promise<ReleaseEnding> {
  const stages = new StageWatcher(client, handle, faults);
  const watching = new AbortController();
  const stopWatching = () => watching.abort();
  options.signal.addEventListener('abort', stopWatching, { once: true });
  let faultsOverAt: number | undefined;
  void options.faultsOver.then(() => (faultsOverAt = Date.now()));
  const staging = stages.run(watching.signal);
  try {
    for (;;) {
      if (options.signal.aborted) return stages.ending('stopped');
      if (Date.now() > options.deadline) {
        faults.write('giving-up', { why: 'timeout', stage: stages.stage });
        return stages.ending(stages.stage);
      }
      const heldSince = Math.max(stages.heldSince ?? Infinity, faultsOverAt ?? Infinity);
      if (Date.now() - heldSince > options.heldGraceMs) {
        faults.write('giving-up', { why: 'held after every fault was over', heldForMs: Date.now() - heldSince });
        return stages.ending('held');
      }
      const ended = await endedRun(handle);
      if (ended) {
        faults.write('release-ended', { status: ended, stage: stages.stage });
        if (ended !== 'COMPLETED') return stages.ending(ended);
        const result = await handle.result();
        return { completed: result.stage === 'completed', stage: result.stage, result };
      }
      await sleep(1_000, options.signal);
    }
  } finally {
    watching.abort();
    options.signal.removeEventListener('abort', stopWatching);
    await staging; // its query is cancelled: nothing may call the server once the run closes the connection
  }
}

/** The workflow's closed status, or undefined while it runs (or cannot be asked right now). */
async function endedRun(handle: ReleaseHandle): Promise<string | undefined> {
  try {
    const { status } = await handle.describe();
    return status.name === 'RUNNING' ? undefined : status.name;
  } catch {
    return undefined; // server down or restarting: ask again
  }
}

class StageWatcher {
  stage: string | null = null;
  heldSince: number | undefined;
  last: ReleaseEnding['lastStatus'];

  constructor(
    private readonly client: Client,
    private readonly handle: ReleaseHandle,
    private readonly faults: FaultLog,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const status = await this.status(signal);
      if (status) this.seen(status);
      await sleep(2_000, signal);
    }
  }

  /**
   * A query waits while no worker is alive; the end of the watch cancels it. Each query gets a
   * signal of its own: the client adds a listener to the signal per call and never removes it.
   */
  private async status(watching: AbortSignal): Promise<ReleaseEnding['lastStatus']> {
    const call = new AbortController();
    const cancel = () => call.abort();
    watching.addEventListener('abort', cancel, { once: true });
    try {
      return await this.client.withAbortSignal(call.signal, async () => ({
        ...(await releases.status(this.handle)),
        accounts: await releases.accountRecords(this.handle),
      }));
    } catch {
      return undefined;
    } finally {
      watching.removeEventListener('abort', cancel);
    }
  }

  ending(stage: string | null): ReleaseEnding {
    return { completed: false, stage, ...(this.last ? { lastStatus: this.last } : {}) };
  }

  private seen(status: NonNullable<ReleaseEnding['lastStatus']>): void {
    this.last = status;
    if (status.stage === 'held') this.heldSince ??= Date.now();
    else this.heldSince = undefined;
    if (status.stage === this.stage) return;
    this.stage = status.stage;
    const open = status.openIssues.map((issue) => issue.summary);
    this.faults.write('release-stage', { stage: status.stage, ...(open.length ? { openIssues: open } : {}) });
  }
}
