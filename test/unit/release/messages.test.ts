import { applyMessage, checkMessage, MessageRejected, parseMessage } from '../../../src/domain/release/messages';
import { newReleaseStatus, openIssue, type ReleaseStatus } from '../../../src/domain/release/status';
import type { ReleaseMessageName } from '../../../src/domain/release/input';

const T0 = Date.parse('2026-11-23T09:00:00Z');

function release(): ReleaseStatus {
  return newReleaseStatus({
    releaseId: '2026-47',
    version: '2026.47.0',
    kind: 'minor',
    notes: [],
    startAt: T0,
    stageLength: 86_400_000,
    accounts: [
      { accountId: 'acme', wave: 1 },
      { accountId: 'hooli', wave: 2 },
    ],
    now: T0,
  });
}

/** What an update's validator does: parse, then check against the state. Returns the refusal, if any. */
function refusal(status: ReleaseStatus, name: ReleaseMessageName, payload: unknown): string | undefined {
  try {
    checkMessage(status, parseMessage(name, payload));
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(MessageRejected);
    return (error as Error).message;
  }
}

function send(status: ReleaseStatus, name: ReleaseMessageName, payload: unknown): void {
  const message = parseMessage(name, payload);
  checkMessage(status, message);
  applyMessage(status, message, T0 + 1000, 'update');
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
    const status = release();
    expect(refusal(status, 'resume', {})).toMatch(/not paused and has no open issue/);
    expect(refusal(status, 'resume', undefined)).toMatch(/not paused/);
    send(status, 'pause', { reason: 'alerts' });
    expect(status).toMatchObject({ paused: true, pauseReason: 'alerts' });
    expect(refusal(status, 'pause', { reason: 'again' })).toMatch(/already paused \(alerts\)/);
    send(status, 'resume', {});
    expect(status.paused).toBe(false);
  });

  test('resume clears open issues and a halted wave', () => {
    const status = release();
    openIssue(status, T0, { source: 'on-call', summary: 'latency' });
    status.halt = { wave: 1, reason: 'budget' };
    expect(refusal(status, 'resume', {})).toBeUndefined();
    send(status, 'resume', { reason: 'false alarm' });
    expect(status.issues[0]).toMatchObject({ closedBy: 'resume' });
    expect(status.halt).toBeUndefined();
  });

  test('patch must differ from the deployed target and from the pending patch', () => {
    const status = release();
    expect(refusal(status, 'patch', { version: '2026.47.0', reason: 'x' })).toMatch(
      /already the version this release deploys/,
    );
    send(status, 'patch', { version: '2026.47.1', reason: 'fix' });
    expect(status.pendingPatch).toMatchObject({ version: '2026.47.1', reason: 'fix' });
    expect(refusal(status, 'patch', { version: '2026.47.1', reason: 'x' })).toMatch(/already the pending patch/);
    expect(refusal(status, 'patch', { version: '2026.47.2', reason: 'better fix' })).toBeUndefined();
  });

  test('reportIssue opens an on-call issue; accounts must be in the release', () => {
    const status = release();
    expect(refusal(status, 'reportIssue', { summary: 'x', accounts: ['nobody'] })).toMatch(
      /not in this release: nobody/,
    );
    send(status, 'reportIssue', { summary: 'errors on acme', accounts: ['acme'] });
    expect(status.issues).toEqual([
      expect.objectContaining({ id: 1, source: 'on-call', summary: 'errors on acme', accounts: ['acme'] }),
    ]);
  });

  test('abort overrides a pause, is refused twice, and then nothing else is accepted', () => {
    const status = release();
    send(status, 'pause', { reason: 'alerts' });
    send(status, 'abort', { reason: 'bad build', rollback: true });
    expect(status.abort).toMatchObject({ reason: 'bad build', rollback: true });
    expect(status.paused).toBe(false);
    expect(refusal(status, 'abort', { reason: 'again' })).toMatch(/already being aborted/);
    expect(refusal(status, 'patch', { version: '2026.47.1', reason: 'x' })).toMatch(/being aborted/);
  });

  test('a finished release refuses every message', () => {
    const status = release();
    status.stage = 'completed';
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
});
