/**
 * One run of a release: its status (replaced, never edited, by the domain's transitions), the
 * waits of the timeline, its swaps, and the bookkeeping Temporal needs (logs, search attributes,
 * current details, continue-as-new) derived from what each transition returns.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { carry, type CarriedRelease } from '../../domain/release/carried';
import type { SwapEnd, SwapStart } from '../../domain/release/deployments';
import { finishDeployment, judgeWave, startDeployment } from '../../domain/release/deployments';
import { accountOf } from '../../domain/release/accounts';
import { applyRepair, type AccountRepair, type RepairSwap } from '../../domain/release/repair';
import type { Via } from '../../domain/release/events';
import { renderWaveTable } from '../../domain/release/details';
import { historyWouldOverflow, limitsOf } from '../../domain/release/limits';
import type { ReleaseEvent } from '../../domain/release/events';
import type { ReleaseStage, StagedReleaseInput, StagedReleaseParams } from '../../domain/release/input';
import {
  applyPendingPatch,
  completeRelease,
  continueInNewRun,
  enterDay,
  enterStage,
  holdRelease,
  liftHold,
} from '../../domain/release/lifecycle';
import {
  releaseSearchAttributes,
  sameSearchAttributes,
  searchAttributePairs,
  type ReleaseSearchAttributes,
} from '../../domain/release/search-attributes';
import {
  andThen,
  holdIsOver,
  holdLiftedBy,
  waveMayGoOn,
  type ReleaseStatus,
  type Transition,
} from '../../domain/release/status';
import { dropStall, newSwapsHeld } from '../../domain/release/stalls';
import type { Freeze } from '../../domain/freeze/calendar';
import { enterFreeze, freezeInForce, leaveFreeze, nextFreeze } from '../../domain/release/freezes';
import { resultIsCompact, resultView, statusView, type ReleaseResultView } from '../../domain/release/view';
import { waveBudget, type Wave } from '../../domain/release/waves';
import { queueNotificationsOf } from '../../domain/notify/transitions';
import { NotificationCourier } from './courier';
import { logEvents } from './event-log';
import { ReleaseMetrics } from './metrics';
import { SwapScheduler, type SwapBatch, type SwapHost } from './swap-scheduler';

/** Thrown out of the timeline when on-call aborts; the release then winds down (see abort.ts). */
export class ReleaseAborted extends Error {
  override name = 'ReleaseAborted';
}

/** Releases recorded before results of big releases were compact answer every account, as then. */
export const COMPACT_RESULT_PATCH = 'compact-release-result';
/** Releases recorded before the compact continue-as-new argument carry the earlier shape, as then. */
export const COMPACT_CARRIED_PATCH = 'compact-carried-state';

/** A transition waiting for the current status and the time. */
export type Change = (status: ReleaseStatus, now: number) => Transition;

export class ReleaseRun implements SwapHost {
  private current: ReleaseStatus;
  /** The search attributes this run last upserted; none until the run publishes them. */
  private published?: ReleaseSearchAttributes;
  private readonly metrics = new ReleaseMetrics();
  readonly swaps: SwapScheduler;
  private readonly courier = new NotificationCourier(this);
  private courierStarted = false;

  constructor(
    readonly input: StagedReleaseInput,
    readonly params: StagedReleaseParams,
    status: ReleaseStatus,
  ) {
    this.current = status;
    this.swaps = new SwapScheduler(this, {
      releaseId: status.releaseId,
      kind: params.kind,
      strategy: input.strategy ?? {},
    });
  }

  get status(): ReleaseStatus {
    return this.current;
  }

  get logAttrs() {
    return { releaseId: this.current.releaseId, version: this.current.targetVersion, stage: this.current.stage };
  }

  /**
   * The one way the status changes: the transition's status replaces the current one; its events
   * are logged, queued as notifications (when the release has sinks), the search attributes
   * upserted if they changed, the current details refreshed.
   */
  apply(change: Change): ReleaseEvent[] {
    const { status, events } = change(this.current, Date.now());
    this.current = queueNotificationsOf(status, events);
    logEvents(status, events);
    this.metrics.observe(status);
    const attributes = releaseSearchAttributes(status);
    if (this.published && !sameSearchAttributes(this.published, attributes)) this.upsert(attributes);
    this.refreshDetails();
    return events;
  }

  /** Every run upserts its search attributes once it knows its accounts; from then on, whenever they change. */
  publishSearchAttributes(): void {
    this.upsert(releaseSearchAttributes(this.current));
  }

  private upsert(attributes: ReleaseSearchAttributes): void {
    upsertSearchAttributes(searchAttributePairs(attributes));
    this.published = attributes;
  }

  refreshDetails(): void {
    setCurrentDetails(renderWaveTable(this.current));
  }

  /** Starts delivering notifications, when the release has sinks (see courier.ts); never awaited. */
  startCourier(): void {
    if (!this.current.notify || this.courierStarted) return;
    this.courierStarted = true;
    this.courier.run().catch((error: unknown) => {
      if (!isCancellation(error)) log.error('notification courier stopped', { ...this.logAttrs, error: String(error) });
    });
  }

  // ---- the runbook's steps

  enterStage(stage: ReleaseStage, detail?: string): void {
    this.apply((status, now) => enterStage(status, { stage, detail }, now));
  }

  enterDay(day: 2 | 3): void {
    this.apply((status, now) => enterDay(status, day, now));
  }

  /** The pending patch becomes the release's target. */
  applyPatch(): void {
    this.apply(applyPendingPatch);
  }

  complete(): void {
    this.apply(completeRelease);
  }

  waveMayGoOn(wave: Wave): boolean {
    return waveMayGoOn(this.current, wave);
  }

  aborted(): boolean {
    return this.current.abort !== undefined;
  }

  throwIfAborted(): void {
    if (this.current.abort) throw new ReleaseAborted(this.current.abort.reason);
  }

  /**
   * On-call's repair of one account: the transition, then the swap it needs, started at once
   * beside the wave's (a retry is judged like any swap of its wave; a rollback is a revert).
   */
  repairAccount(repair: AccountRepair, via: Via): void {
    let swap: RepairSwap;
    this.apply((status, now) => {
      const applied = applyRepair(status, repair, now, via);
      swap = applied.swap;
      return applied.transition;
    });
    if (!swap) return;
    const { accountId, version, revert } = swap;
    const wave = accountOf(this.current.accounts, accountId).wave;
    const budget = waveBudget(this.params.strategy, wave);
    this.swaps.startNow({
      swap: { accountId, version },
      revert,
      summary: `${revert ? 'rollback' : 'retry'} by on-call: ${accountId} → ${version}`,
      afterEach: revert
        ? undefined
        : () => this.apply((status, now) => judgeWave(status, { accountId, wave, budget }, now)),
    });
  }

  /** Runs the swaps of a wave or of a rollback; an abort ends the timeline, a full history continues as new. */
  async deploy(batch: SwapBatch): Promise<'done' | 'stopped'> {
    const end = await this.swaps.run(batch);
    switch (end) {
      case 'aborted':
        throw new ReleaseAborted(this.current.abort?.reason ?? 'aborted');
      case 'history-full':
        return this.continueAsNew();
      default:
        return end;
    }
  }

  // ---- what the swaps ask

  swapHold(): string | undefined {
    return this.current.paused ? `release paused: ${this.current.pauseReason ?? ''}` : undefined;
  }

  recordStart(swap: SwapStart): void {
    this.apply((status, now) => startDeployment(status, swap, now));
  }

  newSwapsHeld(): string | undefined {
    return newSwapsHeld(this.current);
  }

  freezeHolding(): Freeze | undefined {
    return freezeInForce(this.current, Date.now());
  }

  nextFreeze(): Freeze | undefined {
    return nextFreeze(this.current, Date.now());
  }

  recordFreeze(freeze: Freeze | undefined): void {
    const waitingOn = this.current.freeze?.waitingOn;
    if (freeze ? waitingOn?.id === freeze.id : waitingOn === undefined) return;
    this.apply((status, now) => (freeze ? enterFreeze(status, freeze, now) : leaveFreeze(status, now)));
  }

  /** The swap ended: its record, and it is no longer stalled (however it ended). */
  recordEnd(end: SwapEnd): void {
    this.apply((status, now) =>
      andThen(finishDeployment(status, end, now), (next) => dropStall(next, end.accountId, now)),
    );
  }

  // ---- waits

  /** Waits until `at` (a stage mark) and then until the release is not paused; no stage begins while paused. */
  async waitUntil(at: number, stage: ReleaseStage, summary: string): Promise<void> {
    if (Date.now() < at) this.enterStage(stage);
    while (Date.now() < at) {
      await this.wait(() => false, at - Date.now(), summary);
    }
    await this.wait(() => !this.current.paused);
  }

  /** Holds the release until on-call gives a patch or resumes (abort ends it). */
  async hold(reason: string): Promise<'patch' | 'resume'> {
    this.apply((status, now) => holdRelease(status, reason, now));
    await this.wait(() => holdIsOver(this.current));
    const by = holdLiftedBy(this.current);
    this.apply(liftHold);
    return by;
  }

  /**
   * condition() that also ends on abort (throws ReleaseAborted) and continues as new when the
   * history grows large while nothing is in flight. Returns false on timeout.
   */
  async wait(until: () => boolean, timeoutMs?: number, summary?: string): Promise<boolean> {
    // A repair swap may run during a wait: the run continues as new only once it is over.
    const mayContinue = () => this.swaps.idle() && this.historyFull(0);
    const done = () => until() || this.aborted() || mayContinue();
    const met =
      timeoutMs === undefined
        ? (await condition(done), true)
        : await condition(done, timeoutMs, { summary: summary ?? 'waiting' });
    this.throwIfAborted();
    if (mayContinue() && !until()) await this.continueAsNew();
    return met && until();
  }

  /** True when starting one more deployment could take this run's history past its limit. */
  historyFull(inFlight: number): boolean {
    // The limits are the release's own (its status), so a build with other values decides alike.
    const info = workflowInfo();
    return info.continueAsNewSuggested || historyWouldOverflow(limitsOf(this.current), info.historyLength, inFlight);
  }

  /** Carries the status into a fresh run. Only called with no deployment in flight. */
  async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    if (this.courierStarted) await this.courier.settle();
    this.apply((status, now) => continueInNewRun(status, { historyLength: workflowInfo().historyLength }, now));
    return continueAsNew<(input: StagedReleaseInput, carried?: CarriedRelease) => Promise<unknown>>(
      this.input,
      carry(this.current, patched(COMPACT_CARRIED_PATCH)),
    );
  }

  /**
   * The release's answer: every account's outcome (for a release over RESULT_ACCOUNTS_LIMIT
   * accounts, those not promoted: the whole list would pass Temporal's payload limit). Handlers
   * still running (updates) finish first, and notifications get DRAIN_TIMEOUT_MS to be delivered.
   */
  async close(): Promise<ReleaseResultView> {
    // Repair swaps on-call started finish first (there are none in releases without repairs).
    await condition(() => allHandlersFinished() && this.swaps.idle());
    if (this.courierStarted && !(await this.courier.drain()))
      log.warn('release closes with undelivered notifications', {
        ...this.logAttrs,
        undelivered: this.current.notify?.outbox.length,
      });
    if (resultIsCompact(this.current) && patched(COMPACT_RESULT_PATCH)) return resultView(this.current);
    return statusView(this.current);
  }
}
