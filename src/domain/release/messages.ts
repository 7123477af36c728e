/**
 * On-call messages of a running release (pause, resume, patch, abort, reportIssue): parsing,
 * the checks an update's validator runs before anything is written to history, and what each
 * message changes in the status. Pure, so clients and tests can use the same rules.
 */
import { ReleaseMessageSchemas, type ReleaseMessage, type ReleaseMessageName } from './input';
import { describeIssues } from '../primitives';
import { addTimeline, isFinished, openIssue, openIssues, closeOpenIssues, type ReleaseStatus } from './status';

/** A message the release refuses; the text says why and what to do instead. */
export class MessageRejected extends Error {
  override name = 'MessageRejected';
}

export function parseMessage(name: ReleaseMessageName, payload: unknown): ReleaseMessage {
  const parsed = ReleaseMessageSchemas[name].safeParse(payload ?? (name === 'resume' ? {} : payload));
  if (!parsed.success) throw new MessageRejected(`${name}: ${describeIssues(parsed.error)}`);
  return { name, payload: parsed.data } as ReleaseMessage;
}

/** Throws MessageRejected when the release cannot take the message in its current state. */
export function checkMessage(status: ReleaseStatus, message: ReleaseMessage): void {
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
      const unknown = (message.payload.accounts ?? []).filter((id) => !(id in status.accounts));
      if (unknown.length)
        throw new MessageRejected(`reportIssue: not in this release: ${unknown.slice(0, 10).join(', ')}`);
      return;
    }
    case 'abort':
      return;
  }
}

/** Applies an accepted message to the status. */
export function applyMessage(
  status: ReleaseStatus,
  message: ReleaseMessage,
  now: number,
  via: 'signal' | 'update',
): void {
  const at = new Date(now).toISOString();
  switch (message.name) {
    case 'pause':
      status.paused = true;
      status.pauseReason = message.payload.reason;
      addTimeline(status, now, `paused (${via})`, message.payload.reason);
      return;
    case 'resume': {
      const wasPaused = status.paused;
      status.paused = false;
      status.pauseReason = undefined;
      status.halt = undefined;
      const closed = closeOpenIssues(status, now, 'resume');
      const what = [wasPaused ? 'unpaused' : '', closed ? `${closed} issue(s) closed` : ''].filter(Boolean).join(', ');
      addTimeline(
        status,
        now,
        `resumed (${via})`,
        [what || 'wave halt cleared', message.payload.reason].filter(Boolean).join(': '),
      );
      return;
    }
    case 'patch':
      status.pendingPatch = { version: message.payload.version, reason: message.payload.reason, at };
      addTimeline(status, now, `patch ${message.payload.version} given (${via})`, message.payload.reason);
      return;
    case 'abort':
      status.abort = { reason: message.payload.reason, rollback: message.payload.rollback, at };
      // An abort overrides a pause: cancellations and rollbacks must be free to run.
      status.paused = false;
      status.pauseReason = undefined;
      addTimeline(
        status,
        now,
        `abort${message.payload.rollback ? ' with rollback' : ''} (${via})`,
        message.payload.reason,
      );
      return;
    case 'reportIssue':
      openIssue(status, now, {
        source: 'on-call',
        summary: message.payload.summary,
        accounts: message.payload.accounts,
      });
      return;
  }
}

/** Records a signal the release refused; signals never fail the workflow. */
export function recordRejectedSignal(status: ReleaseStatus, name: string, reason: string, now: number): void {
  addTimeline(status, now, `signal ${name} rejected`, reason);
}
