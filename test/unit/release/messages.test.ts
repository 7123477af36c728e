import {
  applyMessage,
  checkMessage,
  MessageRejected,
  parseMessage,
  rejectSignal,
} from '../../../src/domain/release/messages';
import { openIssue } from '../../../src/domain/release/issues';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import type { ReleaseMessageName } from '../../../src/domain/release/input';
import { statusView } from '../../../src/domain/release/view';
import { deepFreeze, plannedRelease, T0 } from './support';

function release(): ReleaseStatus {
  return plannedRelease([
    { accountId: 'acme', wave: 1 },
    { accountId: 'hooli', wave: 2 },
  ]);
}

/** What an update's validator does: parse, then check against the state. Returns the refusal, if any. */
function refusal(status: ReleaseStatus, name: ReleaseMessageName, payload: unknown): string | undefined {
  try {
    checkMessage(status, parseMessage(name, payload), T0);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MessageRejected);
    return (error as Error).message;
  }
}

/** An accepted update: the new status (the one given is frozen, so a transition that wrote to it would throw). */
function send(status: ReleaseStatus, name: ReleaseMessageName, payload: unknown): ReleaseStatus {
  const message = parseMessage(name, payload);
  checkMessage(status, message, T0);
  return applyMessage(deepFreeze(status), message, T0 + 1000, 'update').status;
}

describe('on-call messages', () => {
  test('malformed payloads are refused with what to fix', () => {
    const status = release();
    expect(refusal(status, 'pause', {})).toMatch(/^pause: reason: /);
    expect(refusal(status, 'patch', { version: 'bad version!', reason: 'x' })).toMatch(/patch: version: a version is/);
    expect(refusal(status, 'abort', { reason: 'x', rollback: 'yes' })).toMatch(/abort: rollback: /);
    expect(refusal(status, 'reportIssue', { summary: '' })).toMatch(/reportIssue: summary: give a summary/);
    expect(refusal(status, 'pause', 'stop')).toMatch(/pause: /);
  });

  test('pause then resume: a second pause and a resume with nothing to resume are refused', () => {
    let status = release();
    expect(refusal(status, 'resume', {})).toMatch(/not paused and has no open issue/);
    expect(refusal(status, 'resume', undefined)).toMatch(/not paused/);
    status = send(status, 'pause', { reason: 'alerts' });
    expect(status).toMatchObject({ paused: true, pauseReason: 'alerts' });
    expect(refusal(status, 'pause', { reason: 'again' })).toMatch(/already paused \(alerts\)/);
    status = send(status, 'resume', {});
    expect(status.paused).toBe(false);
  });

  test('resume clears open issues and a halted wave', () => {
    let status = openIssue(release(), { source: 'on-call', summary: 'latency' }, T0).status;
    status = { ...status, halt: { wave: 1, reason: 'budget' } };
    expect(refusal(status, 'resume', {})).toBeUndefined();
    status = send(status, 'resume', { reason: 'false alarm' });
    expect(status.issues[0]).toMatchObject({ closedBy: 'resume' });
    expect(status.halt).toBeUndefined();
  });

  test('patch must differ from the deployed target and from the pending patch', () => {
    let status = release();
    expect(refusal(status, 'patch', { version: '2026.47.0', reason: 'x' })).toMatch(
      /already the version this release deploys/,
    );
    status = send(status, 'patch', { version: '2026.47.1', reason: 'fix' });
    expect(status.pendingPatch).toMatchObject({ version: '2026.47.1', reason: 'fix' });
    expect(refusal(status, 'patch', { version: '2026.47.1', reason: 'x' })).toMatch(/already the pending patch/);
    expect(refusal(status, 'patch', { version: '2026.47.2', reason: 'better fix' })).toBeUndefined();
  });

  test('reportIssue opens an on-call issue; accounts must be in the release', () => {
    let status = release();
    expect(refusal(status, 'reportIssue', { summary: 'x', accounts: ['nobody'] })).toMatch(
      /not in this release: nobody/,
    );
    status = send(status, 'reportIssue', { summary: 'errors on acme', accounts: ['acme'] });
    expect(status.issues).toEqual([
      expect.objectContaining({ id: 1, source: 'on-call', summary: 'errors on acme', accounts: ['acme'] }),
    ]);
  });

  test('abort overrides a pause, is refused twice, and then nothing else is accepted', () => {
    let status = send(release(), 'pause', { reason: 'alerts' });
    status = send(status, 'abort', { reason: 'bad build', rollback: true });
    expect(status.abort).toMatchObject({ reason: 'bad build', rollback: true });
    expect(status.paused).toBe(false);
    expect(refusal(status, 'abort', { reason: 'again' })).toMatch(/already being aborted/);
    expect(refusal(status, 'patch', { version: '2026.47.1', reason: 'x' })).toMatch(/being aborted/);
  });

  test('a finished release refuses every message', () => {
    const status: ReleaseStatus = { ...release(), stage: 'completed' };
    const payloads = {
      pause: { reason: 'x' },
      resume: {},
      patch: { version: '2026.47.1', reason: 'x' },
      abort: { reason: 'x' },
      reportIssue: { summary: 'x' },
    };
    for (const [name, payload] of Object.entries(payloads)) {
      expect(refusal(status, name as ReleaseMessageName, payload)).toMatch(/already completed/);
    }
  });

  test('each accepted message is one transition with its events; the status it was given is untouched', () => {
    const before = deepFreeze(release());
    const paused = applyMessage(before, parseMessage('pause', { reason: 'alerts' }), T0 + 5, 'signal');
    expect(before.paused).toBe(false);
    expect(paused.events).toEqual([
      { type: 'paused', reason: 'alerts', via: 'signal', seq: before.lastSeq + 1, at: T0 + 5 },
    ]);
    const withIssue = send(paused.status, 'reportIssue', { summary: 'latency' });
    const resumed = applyMessage(withIssue, parseMessage('resume', { reason: 'ok' }), T0 + 9, 'update');
    expect(resumed.events.map((e) => [e.type, e.seq])).toEqual([
      ['resumed', withIssue.lastSeq + 1],
      ['issue-closed', withIssue.lastSeq + 2],
    ]);
    expect(resumed.events[0]).toMatchObject({ unpaused: true, issuesClosed: 1, haltCleared: false });
    expect(statusView(resumed.status).timeline.at(-1)).toEqual({
      at: new Date(T0 + 9).toISOString(),
      event: 'resumed (update)',
      detail: 'unpaused, 1 issue(s) closed: ok',
    });
  });

  test('a rejected signal is recorded in the timeline and changes nothing else', () => {
    const before = deepFreeze(release());
    const { status, events } = rejectSignal(before, { signal: 'patch', reason: 'patch: version: required' }, T0 + 1);
    expect(events).toEqual([
      { type: 'signal-rejected', signal: 'patch', reason: 'patch: version: required', seq: 2, at: T0 + 1 },
    ]);
    expect(statusView(status).timeline.at(-1)).toMatchObject({ event: 'signal patch rejected' });
    expect({ ...status, timeline: before.timeline, lastSeq: before.lastSeq }).toEqual(before);
  });
});
