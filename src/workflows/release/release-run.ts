/**
 * One run of a release: its status, the on-call message handlers, the waits of the timeline and
 * the bookkeeping Temporal needs (search attributes, current details, continue-as-new).
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type {
  ReleaseMessageName,
  ReleaseStage,
  StagedReleaseInput,
  StagedReleaseParams,
} from '../../domain/release/input';
import { applyMessage, checkMessage, parseMessage, recordRejectedSignal } from '../../domain/release/messages';
import {
  applyPatch,
  completeRelease,
  enterStage,
  openIssues,
  renderWaveTable,
  type ReleaseStatus,
} from '../../domain/release/status';
import {
  statusSummary,
  statusView,
  type ReleaseStatusSummary,
  type ReleaseStatusView,
} from '../../domain/release/view';
import { ReleaseIdKey, ReleaseStageKey, ReleaseVersionKey } from '../../domain/search-attributes';
import type { Wave } from '../../domain/release/waves';
import { holdSignal, releaseSignal } from '../deployment/messages';
import * as messages from './messages';

/** Thrown out of the timeline when on-call aborts; the release then winds down (see abort.ts). */
export class ReleaseAborted extends Error {
  override name = 'ReleaseAborted';
}

/** What continue-as-new carries to the next run besides the original input. */
export interface CarriedRelease {
  status: ReleaseStatus;
}

/** Events one account deployment may add to a run's history (child start/started/closed, hold/release signals, task events). */
const EVENTS_PER_DEPLOYMENT = 8;
/** A run continues as new well before Temporal's 10,000-event warning (in-flight children finish first). */
const HISTORY_SOFT_LIMIT = 7_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyChild = ChildWorkflowHandle<any>;

export class ReleaseRun {
  /** Children deploying now, by account id (null until the start is confirmed). */
  readonly running = new Map<string, AnyChild | null>();

  constructor(
    readonly input: StagedReleaseInput,
    readonly params: StagedReleaseParams,
    readonly status: ReleaseStatus,
  ) {}

  get aborted(): boolean {
    return this.status.abort !== undefined;
  }

  get logAttrs() {
    return { releaseId: this.status.releaseId, version: this.status.targetVersion, stage: this.status.stage };
  }

  /** Registers the query and every message as both a signal and an update. Called before the first await. */
  installHandlers(): void {
    setHandler(messages.statusQuery, () => statusView(this.status));
    this.installMessage('pause', messages.pauseSignal, messages.pauseUpdate);
    this.installMessage('resume', messages.resumeSignal, messages.resumeUpdate);
    this.installMessage('patch', messages.patchSignal, messages.patchUpdate);
    this.installMessage('abort', messages.abortSignal, messages.abortUpdate);
    this.installMessage('reportIssue', messages.reportIssueSignal, messages.reportIssueUpdate);
  }

  private installMessage(
    name: ReleaseMessageName,
    // Payloads are checked by zod here, so the definitions' argument types do not matter.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    signal: SignalDefinition<[any]>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    update: UpdateDefinition<ReleaseStatusSummary, [any]>,
  ): void {
    const accept = (payload: unknown) => {
      const message = parseMessage(name, payload);
      checkMessage(this.status, message);
      return message;
    };
    setHandler(signal, async (payload: unknown) => {
      let message;
      try {
        message = accept(payload);
      } catch (error) {
        recordRejectedSignal(this.status, name, (error as Error).message, Date.now());
        log.warn('signal rejected', { ...this.logAttrs, signal: name, reason: (error as Error).message });
        this.refreshDetails();
        return;
      }
      await this.onMessage(message, 'signal');
    });
    setHandler(
      update,
      async (payload: unknown) => {
        await this.onMessage(accept(payload), 'update');
        return statusSummary(this.status);
      },
      { validator: (payload: unknown) => void accept(payload) },
    );
  }

  private async onMessage(message: ReturnType<typeof parseMessage>, via: 'signal' | 'update'): Promise<void> {
    const wasPaused = this.status.paused;
    applyMessage(this.status, message, Date.now(), via);
    log.info(`${message.name} accepted`, { ...this.logAttrs, via, payload: message.payload });
    this.refreshDetails();
    // In-flight swaps hold before their next promotion while the release is paused.
    if (message.name === 'pause') await this.signalRunning('hold');
    if (message.name === 'resume' && wasPaused) await this.signalRunning('release');
  }

  async signalRunning(signal: 'hold' | 'release'): Promise<void> {
    const reason = signal === 'hold' ? `release paused: ${this.status.pauseReason ?? ''}` : 'release resumed';
    await Promise.all(
      [...this.running.values()].map((child) => (child ? signalChild(child, signal, reason) : undefined)),
    );
  }

  // ---- stages and what the UI shows ----

  enterStage(stage: ReleaseStage, detail?: string): void {
    if (enterStage(this.status, stage, Date.now(), detail)) {
      log.info(`release stage ${stage}`, { ...this.logAttrs, detail });
      this.upsertSearchAttributes();
    }
    this.refreshDetails();
  }

  upsertSearchAttributes(): void {
    upsertSearchAttributes([
      { key: ReleaseIdKey, value: this.status.releaseId },
      { key: ReleaseVersionKey, value: this.status.targetVersion },
      { key: ReleaseStageKey, value: this.status.stage },
    ]);
  }

  refreshDetails(): void {
    setCurrentDetails(renderWaveTable(this.status));
  }

  /** The pending patch becomes the release's target. */
  applyPatch(): void {
    const version = applyPatch(this.status, Date.now());
    if (version) {
      log.info('patch is the new target', this.logAttrs);
      this.upsertSearchAttributes();
      this.refreshDetails();
    }
  }

  // ---- gates ----

  /** Whether accounts of this wave may start now (pause only delays; these stop the wave). */
  waveMayGoOn(wave: Wave): boolean {
    if (this.aborted || this.status.halt || this.status.pendingPatch) return false;
    // Nothing in wave 2 starts while an issue is open.
    return wave === 1 || openIssues(this.status).length === 0;
  }

  holdReason(): string {
    if (this.status.halt) return this.status.halt.reason;
    const open = openIssues(this.status);
    return `${open.length} open issue(s) and no patch: ${open.map((i) => `#${i.id} ${i.summary}`).join('; ')}`;
  }

  throwIfAborted(): void {
    if (this.aborted) throw new ReleaseAborted(this.status.abort!.reason);
  }

  // ---- waits ----

  /** Waits until `at` (a stage mark) and then until the release is not paused; no stage begins while paused. */
  async waitUntil(at: number, stage: ReleaseStage, summary: string): Promise<void> {
    if (Date.now() < at) this.enterStage(stage);
    while (Date.now() < at) {
      await this.wait(() => false, at - Date.now(), summary);
    }
    await this.wait(() => !this.status.paused);
  }

  /** Holds the release until on-call gives a patch or resumes (abort ends it). */
  async hold(reason: string): Promise<'patch' | 'resume'> {
    this.status.holdReason = reason;
    this.enterStage('held', reason);
    log.warn('release held', { ...this.logAttrs, reason });
    await this.wait(
      () => this.status.pendingPatch !== undefined || (!this.status.halt && openIssues(this.status).length === 0),
    );
    this.status.holdReason = undefined;
    return this.status.pendingPatch ? 'patch' : 'resume';
  }

  /**
   * condition() that also ends on abort (throws ReleaseAborted) and continues as new when the
   * history grows large while nothing is in flight. Returns false on timeout.
   */
  async wait(until: () => boolean, timeoutMs?: number, summary?: string): Promise<boolean> {
    const done = () => until() || this.aborted || this.historyFull(0);
    const met =
      timeoutMs === undefined
        ? (await condition(done), true)
        : await condition(done, timeoutMs, { summary: summary ?? 'waiting' });
    this.throwIfAborted();
    if (this.historyFull(0) && !until()) await this.continueAsNew();
    return met && until();
  }

  /** True when starting one more deployment could take this run's history past its limit. */
  historyFull(inFlight: number): boolean {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested || info.historyLength + (inFlight + 1) * EVENTS_PER_DEPLOYMENT > HISTORY_SOFT_LIMIT
    );
  }

  /** Carries the status into a fresh run. Only called with no deployment in flight. */
  async continueAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    this.status.runs++;
    log.info('continuing as new', {
      ...this.logAttrs,
      historyLength: workflowInfo().historyLength,
      run: this.status.runs,
    });
    const carried: CarriedRelease = { status: this.status };
    return continueAsNew<(input: StagedReleaseInput, carried?: CarriedRelease) => Promise<unknown>>(
      this.input,
      carried,
    );
  }

  complete(): void {
    completeRelease(this.status, Date.now());
    log.info('release completed', this.logAttrs);
    this.upsertSearchAttributes();
    this.refreshDetails();
  }

  /** The release's answer: every account's outcome. Handlers still running (updates) finish first. */
  async close(): Promise<ReleaseStatusView> {
    await condition(allHandlersFinished);
    return statusView(this.status);
  }
}

export async function signalChild(child: AnyChild, signal: 'hold' | 'release', reason: string): Promise<void> {
  try {
    await child.signal(signal === 'hold' ? holdSignal : releaseSignal, { reason });
  } catch {
    // The swap finished before the signal reached it; nothing to hold or release.
  }
}
