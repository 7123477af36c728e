/**
 * Running fuzzed inputs against real workflows: send a message as a signal or an update, let a
 * run settle, and check what its history says. A run is judged by its history, so a failure
 * that happened in a task nobody waited for is still seen.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import * as swapMessages from '../../src/workflows/deployment/messages';
import * as releaseMessages from '../../src/workflows/release/messages';
import { sleep } from '../harness/wait';
import { closingEvent, workflowTaskFailures, type HistoryEvent } from './history';
import type { Json } from './fuzz';

/** A message of a workflow: its signal, and its update (the swap's hold and release exist only as signals). */
export interface MessageDefinition {
  signal: SignalDefinition<[never]>;
  update: UpdateDefinition<unknown, [never]>;
}

export const RELEASE_MESSAGE_DEFINITIONS = {
  pause: { signal: releaseMessages.pauseSignal, update: releaseMessages.pauseUpdate },
  resume: { signal: releaseMessages.resumeSignal, update: releaseMessages.resumeUpdate },
  patch: { signal: releaseMessages.patchSignal, update: releaseMessages.patchUpdate },
  abort: { signal: releaseMessages.abortSignal, update: releaseMessages.abortUpdate },
  reportIssue: { signal: releaseMessages.reportIssueSignal, update: releaseMessages.reportIssueUpdate },
  overrideFreeze: { signal: releaseMessages.overrideFreezeSignal, update: releaseMessages.overrideFreezeUpdate },
} as unknown as Record<'pause' | 'resume' | 'patch' | 'abort' | 'reportIssue' | 'overrideFreeze', MessageDefinition>;

export const SWAP_MESSAGE_DEFINITIONS = {
  approve: { signal: swapMessages.approveSignal, update: swapMessages.approveUpdate },
  reject: { signal: swapMessages.rejectSignal, update: swapMessages.rejectUpdate },
  // Updates of these names are not defined: the swap must refuse them cleanly.
  hold: { signal: swapMessages.holdSignal, update: defineUpdate(swapMessages.holdSignal.name) },
  release: { signal: swapMessages.releaseSignal, update: defineUpdate(swapMessages.releaseSignal.name) },
} as unknown as Record<'approve' | 'reject' | 'hold' | 'release', MessageDefinition>;

/** An update must be answered (accepted and done, or refused) within this long. */
const UPDATE_ANSWER_MS = 30_000;

/** What became of a message: a signal sent, an update done or refused (or failed) with a reason, or the run had ended. */
export type Delivery = 'signalled' | 'update-done' | 'update-refused' | 'run-ended';

/**
 * Sends the payload as a signal or an update. An update may be refused or fail with a reason (a
 * WorkflowUpdateFailedError); it must not go unanswered. A workflow that has ended takes nothing.
 */
export async function sendMessage(
  handle: WorkflowHandle,
  message: MessageDefinition,
  via: 'signal' | 'update',
  payload: Json,
): Promise<Delivery> {
  const args = [payload] as unknown as [never];
  try {
    if (via === 'signal') {
      await handle.signal(message.signal, ...args);
      return 'signalled';
    }
    let timer: NodeJS.Timeout | undefined;
    const unanswered = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`update ${message.update.name} unanswered after ${UPDATE_ANSWER_MS} ms`)),
        UPDATE_ANSWER_MS,
      );
    });
    try {
      await Promise.race([handle.executeUpdate(message.update, { args }), unanswered]);
      return 'update-done';
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return 'update-refused';
    if (error instanceof WorkflowNotFoundError && (await isClosed(handle))) return 'run-ended';
    throw error;
  }
}

async function isClosed(handle: WorkflowHandle): Promise<boolean> {
  return (await handle.describe()).status.name !== 'RUNNING';
}

/**
 * Waits until the run has ended, or has nothing in flight (no workflow task, activity or child)
 * on two looks in a row, or `maxMs` passed; then terminates it if it still runs and answers its
 * history. A workflow task retried (attempt > 1) means it failed: no need to wait longer.
 */
export async function settle(handle: WorkflowHandle, maxMs: number): Promise<HistoryEvent[]> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  for (;;) {
    const { raw, status } = await handle.describe();
    if (status.name !== 'RUNNING') break;
    const task = raw.pendingWorkflowTask;
    if (task && (task.attempt ?? 1) > 1) break;
    const busy = Boolean(task) || (raw.pendingActivities?.length ?? 0) > 0 || (raw.pendingChildren?.length ?? 0) > 0;
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= 2 || Date.now() > deadline) break;
    await sleep(150);
  }
  const events = (await handle.fetchHistory()).events ?? [];
  if (!closingEvent(events)) await handle.terminate('fuzz run checked').catch(() => undefined);
  return events;
}

/** How a clean run was left: still running when checked, completed, or refused as invalid input. */
export type RunEnd = 'running' | 'completed' | 'invalid-input';

/**
 * No workflow task failed, and a run that ended did so cleanly: completed, or (for inputs) failed
 * with an InvalidInput failure that says what to fix.
 */
export function expectCleanRun(events: HistoryEvent[], options: { invalidInputAllowed: boolean }): RunEnd {
  const failures = workflowTaskFailures(events);
  if (failures.length) throw new Error(`workflow task failed: ${failures.join(' | ')}`);
  const end = closingEvent(events);
  if (!end || end.workflowExecutionTerminatedEventAttributes) return 'running';
  if (end.workflowExecutionCompletedEventAttributes) return 'completed';
  const failure = end.workflowExecutionFailedEventAttributes?.failure;
  const invalidInput =
    failure?.applicationFailureInfo?.type === 'InvalidInput' &&
    /^invalid \S+ (input|continue-as-new)/i.test(failure.message ?? '');
  if (options.invalidInputAllowed && invalidInput) return 'invalid-input';
  throw new Error(`the run did not end cleanly: ${JSON.stringify(end).slice(0, 1000)}`);
}

/**
 * Counts how runs ended and messages were taken, so a test shows its inputs reached both the
 * refusals and the code behind them (a fuzz test whose every input is refused proves little).
 */
export class Tally<K extends string> {
  readonly counts: Partial<Record<K, number>> = {};

  add(key: K): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  of(...keys: K[]): number {
    return keys.reduce((sum, key) => sum + (this.counts[key] ?? 0), 0);
  }
}
