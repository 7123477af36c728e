/**
 * The release's in-flight account swaps (`blueGreenDeployment` children): starts them at most
 * `concurrency` at once, holds and releases them while the release is paused, cancels them on an
 * abort (their compensations put traffic back on blue) and waits for a free slot or for all to
 * finish. The wave rollout and the abort rollback say what to deploy; this says how.
 */
import {
  CancellationScope,
  condition,
  isCancellation,
  ParentClosePolicy,
  sleep,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { deploymentWorkflowId } from '../../domain/deployment/swap';
import type { Freeze } from '../../domain/freeze/calendar';
import { describeFreeze } from '../../domain/release/freezes';
import type { SwapEnd, SwapStart } from '../../domain/release/deployments';
import type { ReleaseKind } from '../../domain/primitives';
import type { StrategyInput } from '../../domain/strategy';
import { blueGreenDeployment } from '../deployment';
import { holdSignal, releaseSignal } from '../deployment/messages';

/** What to deploy: accounts and versions, in order, and how. */
export interface SwapBatch {
  swaps: ReadonlyArray<{ accountId: string; version: string }>;
  concurrency: number;
  /** Reverts (swaps in revert mode) put accounts back while the release is aborted: the abort must not cancel them. */
  revert: boolean;
  /** Checked before every start; when false, the batch stops once the swaps in flight have finished. */
  mayGoOn(): boolean;
  summary(accountId: string, version: string): string;
  /** After an account's swap ended and was recorded. */
  afterEach?(accountId: string): void;
}

/**
 * done: every swap ran; stopped: mayGoOn() turned false; aborted: the release was aborted and its
 * swaps were cancelled; history-full: this run's history has no room for more (nothing in flight).
 */
export type BatchEnd = 'done' | 'stopped' | 'aborted' | 'history-full';

/** What the scheduler asks of the release it works for. */
export interface SwapHost {
  /** Why swaps are held now (the release is paused), or undefined: no swap starts while held. */
  swapHold(): string | undefined;
  /** Why no new swap may start although nothing holds the ones in flight (stalled swaps), or undefined. */
  newSwapsHeld(): string | undefined;
  aborted(): boolean;
  /** The freeze in force now (not overridden): no swap of a wave starts in it; reverts do. */
  freezeHolding(): Freeze | undefined;
  /** The next freeze to begin: the scheduler wakes at its start to stop starting swaps. */
  nextFreeze(): Freeze | undefined;
  /** New swaps wait on this freeze now; undefined: on none. */
  recordFreeze(freeze: Freeze | undefined): void;
  /** True when starting one more swap could take this run's history past its limit. */
  historyFull(inFlight: number): boolean;
  recordStart(swap: SwapStart): void;
  recordEnd(end: SwapEnd): void;
}

export interface ChildSettings {
  releaseId: string;
  kind: ReleaseKind;
  /** The strategy as the user wrote it (the child applies the same defaults); keeps history small. */
  strategy: StrategyInput;
}

type SwapChild = ChildWorkflowHandle<typeof blueGreenDeployment>;

export class SwapScheduler {
  /** Swaps in flight by account id; the handle once the child has started. */
  private readonly inFlight = new Map<string, SwapChild | undefined>();
  /** The rollout's swaps; cancelled once, when the release is aborted. */
  private readonly abortable = new CancellationScope();
  /** Reverts; only the release's own cancellation reaches them. */
  private readonly reverts = new CancellationScope();
  /** Timers fired at freeze boundaries so far, and when the one pending fires (at most one is waited for). */
  private wakeUps = 0;
  private pendingWake?: number;

  constructor(
    private readonly host: SwapHost,
    private readonly child: ChildSettings,
  ) {}

  /** Runs the batch to its end; see BatchEnd. */
  async run(batch: SwapBatch): Promise<BatchEnd> {
    // Taken from the end, so the first swap of the batch starts first.
    const waiting = [...batch.swaps].reverse();
    const abortApplies = () => !batch.revert && this.host.aborted();
    const mayStart = () =>
      waiting.length > 0 &&
      this.inFlight.size < batch.concurrency &&
      this.host.swapHold() === undefined &&
      this.host.newSwapsHeld() === undefined &&
      (batch.revert || this.host.freezeHolding() === undefined) &&
      !abortApplies() &&
      batch.mayGoOn() &&
      !this.host.historyFull(this.inFlight.size);
    const mustCancel = () => abortApplies() && !this.abortable.consideredCancelled;
    const mayEnd = () => this.inFlight.size === 0 && (!batch.mayGoOn() || this.host.historyFull(0));

    for (;;) {
      if (!batch.revert) this.observeFreezes(waiting.length > 0);
      while (mayStart()) this.start(waiting.pop()!, batch);
      if (mustCancel()) this.abortable.cancel();
      if (this.inFlight.size === 0) {
        if (abortApplies()) return this.end('aborted', batch);
        if (waiting.length === 0) return this.end('done', batch);
        if (!batch.mayGoOn()) return this.end('stopped', batch);
        if (this.host.historyFull(0)) return 'history-full';
      }
      const inFlight = this.inFlight.size;
      const wakeUps = this.wakeUps;
      await condition(
        () => this.inFlight.size < inFlight || mayStart() || mustCancel() || mayEnd() || this.wakeUps !== wakeUps,
      );
    }
  }

  /** No swap in flight. */
  idle(): boolean {
    return this.inFlight.size === 0;
  }

  /**
   * Starts one swap now, outside any batch and its concurrency (on-call's repair of one account).
   * A revert is reached only by the release's own cancellation, as an abort's are.
   */
  startNow(request: {
    swap: { accountId: string; version: string };
    revert: boolean;
    summary: string;
    afterEach?: (accountId: string) => void;
  }): void {
    this.start(request.swap, {
      swaps: [request.swap],
      concurrency: 1,
      revert: request.revert,
      mayGoOn: () => true,
      summary: () => request.summary,
      ...(request.afterEach ? { afterEach: request.afterEach } : {}),
    });
  }

  /**
   * While swaps wait: records the freeze that holds them (or that none does) and wakes at its end,
   * or at the next freeze's start to stop starting swaps then. Swaps in flight finish either way.
   */
  private observeFreezes(swapsWaiting: boolean): void {
    if (!swapsWaiting) return;
    const freeze = this.host.freezeHolding();
    this.host.recordFreeze(freeze);
    if (freeze) return this.wakeAt(freeze.end, describeFreeze(freeze));
    const next = this.host.nextFreeze();
    if (next) this.wakeAt(next.start, `until freeze "${next.name}" begins at ${new Date(next.start).toISOString()}`);
  }

  /** A timer that fires at `at`, unless one pending fires by then: the loop then looks again. */
  private wakeAt(at: number, summary: string): void {
    const now = Date.now();
    if (at <= now) return;
    if (this.pendingWake !== undefined && this.pendingWake > now && this.pendingWake <= at) return;
    this.pendingWake = at;
    sleep(at - now, { summary }).then(
      () => {
        this.wakeUps++;
        if (this.pendingWake === at) this.pendingWake = undefined;
      },
      () => undefined, // the release was cancelled: nothing to wake
    );
  }

  /** A wave that ends (done, stopped, aborted) no longer waits on a freeze. */
  private end(how: 'done' | 'stopped' | 'aborted', batch: SwapBatch): BatchEnd {
    if (!batch.revert) this.host.recordFreeze(undefined);
    return how;
  }

  /** Every started swap holds before its next promotion. */
  holdAll(reason: string): Promise<void> {
    return this.signalAll('hold', reason);
  }

  releaseAll(reason: string): Promise<void> {
    return this.signalAll('release', reason);
  }

  private async signalAll(signal: 'hold' | 'release', reason: string): Promise<void> {
    await Promise.all(
      [...this.inFlight.values()].map((child) => (child ? signalSwap(child, signal, reason) : undefined)),
    );
  }

  private start(swap: { accountId: string; version: string }, batch: SwapBatch): void {
    const started: SwapStart = { ...swap, revert: batch.revert };
    this.host.recordStart(started);
    this.inFlight.set(swap.accountId, undefined);
    const scope = batch.revert ? this.reverts : this.abortable;
    void scope.run(() => this.deploy(started, batch));
  }

  private async deploy(swap: SwapStart, batch: SwapBatch): Promise<void> {
    const { accountId, version } = swap;
    try {
      const child = await startChild(blueGreenDeployment, {
        workflowId: deploymentWorkflowId(accountId, version, this.child.releaseId),
        args: [
          {
            accountId,
            version,
            kind: this.child.kind,
            releaseId: this.child.releaseId,
            strategy: this.child.strategy,
            ...(batch.revert ? { mode: 'revert' as const } : {}),
          },
        ],
        staticSummary: batch.summary(accountId, version),
        // If the release itself is terminated, its swaps still roll back cleanly.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      this.inFlight.set(accountId, child);
      const hold = this.host.swapHold();
      if (hold !== undefined) await signalSwap(child, 'hold', hold);
      this.host.recordEnd({ ...swap, ending: 'result', report: await child.result() });
    } catch (error) {
      if (isCancellation(error)) this.host.recordEnd({ ...swap, ending: 'cancelled' });
      else this.host.recordEnd({ ...swap, ending: 'failed', error: failureMessage(error) });
    } finally {
      this.inFlight.delete(accountId);
      batch.afterEach?.(accountId);
    }
  }
}

function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

async function signalSwap(child: SwapChild, signal: 'hold' | 'release', reason: string): Promise<void> {
  try {
    await child.signal(signal === 'hold' ? holdSignal : releaseSignal, { reason });
  } catch {
    // The swap finished before the signal reached it; nothing to hold or release.
  }
}
