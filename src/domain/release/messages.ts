/**
 * On-call messages of a running release (pause, resume, patch, abort, reportIssue, overrideFreeze): parsing,
 * the checks an update's validator runs before anything is written to history, and what each
 * message changes in the status (a transition). Pure, so clients and tests can use the same rules.
 */
import { ReleaseMessageSchemas, ReleaseMessageShapes, type ReleaseMessage, type ReleaseMessageName } from './input';
import { describeIssues } from '../primitives';
import { isInRelease } from './accounts';
import type { Via } from './events';
import { overrideFreeze, whyNoFreezeToOverride } from './freezes';
import { closeOpenIssues, openIssue } from './issues';
import { applyRepair, repairRefusal } from './repair';
import { andThen, emit, isFinished, openIssues, type ReleaseStatus, type Transition } from './status';

/** A message the release refuses; the text says why and what to do instead. */
export class MessageRejected extends Error {
  override name = 'MessageRejected';
}

export function parseMessage(name: ReleaseMessageName, payload: unknown): ReleaseMessage {
  const parsed = ReleaseMessageSchemas[name].safeParse(payload ?? (name === 'resume' ? {} : payload));
  if (!parsed.success) throw new MessageRejected(`${name}: ${describeIssues(parsed.error)}`);
  return { name, payload: parsed.data } as ReleaseMessage;
}

/**
 * An accepted update's payload, read by its handler: the shape only, no rule that may change
 * (the validator checked those when the update arrived; it does not run again on replay).
 */
export function readAcceptedMessage(name: ReleaseMessageName, payload: unknown): ReleaseMessage {
  const parsed = ReleaseMessageShapes[name].safeParse(payload ?? (name === 'resume' ? {} : payload));
  if (!parsed.success) throw new MessageRejected(`${name}: ${describeIssues(parsed.error)}`);
  return { name, payload: parsed.data } as ReleaseMessage;
}

/**
 * Throws MessageRejected when the release cannot take the message in its current state at `now`
 * (the workflow's time: whether a freeze is in force or about to begin, for overrideFreeze).
 */
export function checkMessage(status: ReleaseStatus, message: ReleaseMessage, now: number): void {
  const name = message.name;
  if (isFinished(status)) throw new MessageRejected(`${name}: release ${status.releaseId} is already ${status.stage}`);
  if (status.abort) {
    throw new MessageRejected(
      name === 'abort'
        ? `abort: release ${status.releaseId} is already being aborted (${status.abort.reason})`
        : `${name}: release ${status.releaseId} is being aborted; nothing else can change it`,
    );
  }
  switch (message.name) {
    case 'pause':
      if (status.paused)
        throw new MessageRejected(
          `pause: release ${status.releaseId} is already paused (${status.pauseReason ?? 'no reason'}); send resume to go on`,
        );
      return;
    case 'resume':
      if (!status.paused && openIssues(status).length === 0 && !status.halt) {
        throw new MessageRejected(
          `resume: release ${status.releaseId} is not paused and has no open issue; nothing to resume`,
        );
      }
      return;
    case 'patch': {
      const { version } = message.payload;
      if (version === status.targetVersion)
        throw new MessageRejected(
          `patch: ${version} is already the version this release deploys; give the fixed version`,
        );
      if (version === status.pendingPatch?.version)
        throw new MessageRejected(`patch: ${version} is already the pending patch`);
      return;
    }
    case 'reportIssue': {
      const unknown = (message.payload.accounts ?? []).filter((id) => !isInRelease(status.accounts, id));
      if (unknown.length)
        throw new MessageRejected(`reportIssue: not in this release: ${unknown.slice(0, 10).join(', ')}`);
      return;
    }
    case 'overrideFreeze': {
      const refusal = whyNoFreezeToOverride(status, now);
      if (refusal) throw new MessageRejected(refusal);
      return;
    }
    case 'abort':
      return;
    case 'retryAccount':
    case 'skipAccount':
    case 'rollbackAccount': {
      const refusal = repairRefusal(status, { name: message.name, ...message.payload });
      if (refusal) throw new MessageRejected(refusal);
      return;
    }
  }
}

/** The transition of an accepted message. */
export function applyMessage(status: ReleaseStatus, message: ReleaseMessage, now: number, via: Via): Transition {
  switch (message.name) {
    case 'pause':
      return emit(status, { paused: true, pauseReason: message.payload.reason }, now, [
        { type: 'paused', reason: message.payload.reason, via },
      ]);
    case 'resume': {
      const resumed = emit(status, { paused: false, pauseReason: undefined, halt: undefined }, now, [
        {
          type: 'resumed',
          ...(message.payload.reason === undefined ? {} : { reason: message.payload.reason }),
          via,
          unpaused: status.paused,
          issuesClosed: openIssues(status).length,
          haltCleared: status.halt !== undefined,
        },
      ]);
      return andThen(resumed, (next) => closeOpenIssues(next, 'resume', now));
    }
    case 'patch': {
      const { version, reason } = message.payload;
      return emit(status, { pendingPatch: { version, reason, at: now } }, now, [
        { type: 'patch-given', version, reason, via },
      ]);
    }
    case 'abort': {
      const { reason, rollback } = message.payload;
      // An abort overrides a pause: cancellations and rollbacks must be free to run.
      return emit(status, { abort: { reason, rollback, at: now }, paused: false, pauseReason: undefined }, now, [
        { type: 'abort-requested', reason, rollback, via },
      ]);
    }
    case 'overrideFreeze':
      return overrideFreeze(status, message.payload.reason, now, via);
    case 'reportIssue':
      return openIssue(
        status,
        { source: 'on-call', summary: message.payload.summary, accounts: message.payload.accounts },
        now,
      );
    case 'retryAccount':
    case 'skipAccount':
    case 'rollbackAccount':
      return applyRepair(status, { name: message.name, ...message.payload }, now, via).transition;
  }
}

/** A signal the release refused is recorded; signals never fail the workflow. */
export function rejectSignal(
  status: ReleaseStatus,
  rejected: { signal: string; reason: string },
  now: number,
): Transition {
  return emit(status, {}, now, [{ type: 'signal-rejected', signal: rejected.signal, reason: rejected.reason }]);
}
