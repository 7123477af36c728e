/** The swap's status transitions: new status, never an edited one, and the events each change produced. */
import { resultOf, statusView, type SwapStatus } from '../../../src/domain/deployment/status';
import type { CheckReport } from '../../../src/domain/deployment/swap';
import {
  accountBusy,
  accountClaimed,
  accountRead,
  approvalClosed,
  approvalRequested,
  blueDrained,
  checkReported,
  decisionRecorded,
  decisionRefusal,
  describeDecider,
  drainFailed,
  finished,
  greenProvisioned,
  held,
  promotedReason,
  released,
  startSwap,
  stepFinished,
  stepStarted,
  stopped,
  trafficBackOnBlue,
  waitStarted,
  type Transition,
} from '../../../src/domain/deployment/transitions';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const passed = (check: CheckReport['check']): CheckReport => ({
  check,
  verdict: 'passed',
  summary: 'ok',
  evidence: {},
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Applies a transition to a frozen status, so any edit of the old status throws. */
function apply<I>(status: SwapStatus, transition: Transition<I>, input: I, now = T0) {
  return transition(deepFreeze(status), input, now);
}

const start = (releaseId?: string) =>
  startSwap(
    { accountId: 'acme', version: '2.0', kind: 'minor', mode: 'upgrade', ...(releaseId ? { releaseId } : {}) },
    T0,
  ).status;

/** A swap read, provisioned and validated, waiting before its promotion. */
function validated(): SwapStatus {
  let status = apply(start(), accountRead, { fromVersion: '1.0', blue: ['b1'] }).status;
  status = apply(status, greenProvisioned, { green: ['g1', 'g2'] }).status;
  return apply(status, checkReported, { report: passed('canary') }).status;
}

describe('swap status transitions', () => {
  it('starts before the first step, announcing who and what for the search attributes', () => {
    const { status, events } = startSwap(
      { accountId: 'acme', version: '2.0', kind: 'major', mode: 'upgrade', releaseId: 'r-1' },
      T0,
    );
    expect(status).toMatchObject({ phase: 'starting', fromVersion: null, held: false, awaitingApproval: false });
    expect(status).toMatchObject({ checks: [], steps: [], blue: [], green: [], leftBehind: [], releaseId: 'r-1' });
    expect(events).toEqual([{ type: 'started', accountId: 'acme', version: '2.0', releaseId: 'r-1', mode: 'upgrade' }]);
    expect(startSwap({ accountId: 'acme', version: '2.0', kind: 'minor', mode: 'revert' }, T0).events).toEqual([
      { type: 'started', accountId: 'acme', version: '2.0', mode: 'revert' },
    ]);
  });

  it('times each step in epoch ms, and the view shows ISO times', () => {
    const begun = apply(start(), stepStarted, { step: 'preflight' }, T0 + 100);
    expect(begun.status.phase).toBe('preflight');
    expect(begun.events).toEqual([{ type: 'step-started', step: 'preflight', at: T0 + 100 }]);
    const done = apply(begun.status, stepFinished, { step: 'preflight' }, T0 + 350);
    expect(done.status.steps).toEqual([{ step: 'preflight', startedAt: T0 + 100, durationMs: 250 }]);
    expect(done.events).toEqual([{ type: 'step-finished', step: 'preflight', startedAt: T0 + 100, durationMs: 250 }]);
    expect(done.status.phase).toBe('preflight'); // stays at the last step until the next one starts
    expect(statusView(done.status).steps).toEqual([
      { step: 'preflight', startedAt: '2026-11-23T10:00:00.100Z', durationMs: 250 },
    ]);
  });

  it('records the account, green and the checks with their events', () => {
    const read = apply(start(), accountRead, { fromVersion: '1.0', blue: ['b1'] });
    expect(read.status).toMatchObject({ fromVersion: '1.0', blue: ['b1'] });
    expect(read.events).toEqual([{ type: 'account-read', fromVersion: '1.0', blue: ['b1'] }]);
    const provisioned = apply(read.status, greenProvisioned, { green: ['g1'] });
    expect(provisioned.status.green).toEqual(['g1']);
    expect(provisioned.events).toEqual([{ type: 'green-provisioned', green: ['g1'] }]);
    const checked = apply(provisioned.status, checkReported, { report: passed('initialization') });
    expect(checked.status.checks).toEqual([passed('initialization')]);
    expect(checked.events).toEqual([{ type: 'check-reported', report: passed('initialization') }]);
    expect(read.status.green).toEqual([]); // the old status is left as it was
  });

  it('takes an on-call decision only while waiting for one, and only the first', () => {
    const before = validated();
    expect(decisionRefusal(before, 'approve')).toMatch(/nothing to approve: the swap of acme is at step "starting"/);
    expect(apply(before, decisionRecorded, { decision: 'approve' })).toEqual({ status: before, events: [] });

    const waiting = apply(before, approvalRequested, { why: 'canary: too few', timeoutMs: 3_600_000 });
    expect(waiting.status.awaitingApproval).toBe(true);
    expect(waiting.events).toEqual([{ type: 'approval-requested', why: 'canary: too few', timeoutMs: 3_600_000 }]);
    expect(decisionRefusal(waiting.status, 'reject')).toBeUndefined();

    const decision = { decision: 'reject' as const, by: 'bob', reason: 'not today' };
    const decided = apply(waiting.status, decisionRecorded, decision);
    expect(decided.status.decision).toEqual(decision);
    expect(decided.events).toEqual([{ type: 'decision-recorded', decision }]);
    expect(decisionRefusal(decided.status, 'approve')).toMatch(/not waiting for a decision/);
    expect(apply(decided.status, decisionRecorded, { decision: 'approve' }).status.decision).toEqual(decision);

    const closed = apply(decided.status, approvalClosed, { decided: true });
    expect(closed.status.awaitingApproval).toBe(false);
    expect(closed.events).toEqual([{ type: 'approval-closed', decision }]);
    expect(statusView(closed.status)).toMatchObject({ awaitingApproval: false, decision });
    expect(describeDecider(decision)).toBe('bob: not today');
    expect(describeDecider({ decision: 'approve' })).toBe('on-call');
  });

  it('closes the approval without a decision when the deadline passed', () => {
    const waiting = apply(validated(), approvalRequested, { why: 'canary', timeoutMs: 1000 }).status;
    expect(apply(waiting, approvalClosed, { decided: false }).events).toEqual([{ type: 'approval-closed' }]);
  });

  it('is held and released by the release, with an event only when that changes', () => {
    const heldOnce = apply(validated(), held, { reason: 'release paused' });
    expect(heldOnce.status.held).toBe(true);
    expect(heldOnce.events).toEqual([{ type: 'held', reason: 'release paused' }]);
    expect(apply(heldOnce.status, held, {}).events).toEqual([]);
    const releasedOnce = apply(heldOnce.status, released, {});
    expect(releasedOnce.status.held).toBe(false);
    expect(releasedOnce.events).toEqual([{ type: 'released' }]);
    expect(apply(releasedOnce.status, released, {}).events).toEqual([]);
  });

  it('announces a wait without changing the status', () => {
    const status = validated();
    const wait = { for: 'maintenance-window' as const, start: '2026-11-23T12:00:00Z', end: '2026-11-23T13:00:00Z' };
    expect(apply(status, waitStarted, wait)).toEqual({ status, events: [{ type: 'waiting', wait }] });
  });

  it('a stop records the trigger as the reason, the failed check and the failed step', () => {
    const watching = apply(validated(), stepStarted, { step: 'watch' }).status;
    const report: CheckReport = { check: 'watch', verdict: 'failed', summary: 'error rate breached', evidence: {} };
    const { status, events } = apply(watching, stopped, {
      failure: { kind: 'error', reason: 'watch breached', report, breachDetectedAt: T0 },
      compensations: ['decommission green', 'route traffic back to blue'],
    });
    expect(status).toMatchObject({ reason: 'watch breached', failedStep: 'watch', phase: 'watch' });
    expect(status.checks.at(-1)).toEqual(report);
    expect(events).toEqual([
      { type: 'check-reported', report },
      {
        type: 'stopped',
        failedStep: 'watch',
        reason: 'watch breached',
        compensations: ['decommission green', 'route traffic back to blue'],
      },
    ]);
    const cancelled = apply(watching, stopped, { failure: { kind: 'cancelled' }, compensations: [] });
    expect(cancelled.status.reason).toBe('cancelled while the swap was in progress');
    expect(cancelled.status.checks).toEqual(watching.checks);
  });

  it('records traffic back on blue, and the result shows it in ISO with the time since the breach', () => {
    const back = apply(validated(), trafficBackOnBlue, {
      trigger: 'watch breached',
      detectedAt: T0,
      trafficOnBlueAt: T0 + 180,
    });
    expect(back.events).toEqual([
      { type: 'traffic-on-blue', rollback: { trigger: 'watch breached', detectedAt: T0, trafficOnBlueAt: T0 + 180 } },
    ]);
    const done = apply(back.status, finished, {
      outcome: 'rolled-back',
      reason: 'watch breached',
      failedStep: 'watch',
    });
    expect(resultOf(done.status).rollback).toEqual({
      trigger: 'watch breached',
      detectedAt: '2026-11-23T10:00:00.000Z',
      rollbackMs: 180,
      trafficOnBlueAt: '2026-11-23T10:00:00.180Z',
    });
    const noBreach = apply(validated(), trafficBackOnBlue, { trigger: 'rejected', trafficOnBlueAt: T0 });
    const rejected = apply(noBreach.status, finished, { outcome: 'rolled-back', reason: 'rejected' }).status;
    expect(resultOf(rejected).rollback).toEqual({ trigger: 'rejected', trafficOnBlueAt: '2026-11-23T10:00:00.000Z' });
  });

  it('a drain reports the blue instances that did not stop; a failed drain leaves all of blue behind', () => {
    const drained = apply(validated(), blueDrained, { stopped: [], leftRunning: ['b1'] });
    expect(drained.status.leftBehind).toEqual(['b1']);
    expect(promotedReason(drained.status)).toBe('promoted; blue instance(s) b1 did not stop');
    expect(promotedReason(apply(validated(), blueDrained, { stopped: ['b1'], leftRunning: [] }).status)).toBe(
      'promoted 2.0',
    );
    const failed = apply(validated(), drainFailed, { reason: 'fleet unreachable' });
    expect(failed.status.leftBehind).toEqual(['b1']);
    expect(failed.events).toEqual([{ type: 'drain-failed', reason: 'fleet unreachable', leftBehind: ['b1'] }]);
  });

  it('finishes with the outcome as the search attribute, a cancelled swap that could not repair as failed', () => {
    const promoted = apply(validated(), finished, { outcome: 'promoted', reason: 'promoted 2.0' });
    expect(promoted.status).toMatchObject({ phase: 'done', outcome: 'promoted', reason: 'promoted 2.0' });
    expect(promoted.events).toEqual([
      { type: 'finished', outcome: 'promoted', reason: 'promoted 2.0', attribute: 'promoted', incomplete: false },
    ]);
    const cancelled = apply(validated(), finished, { outcome: 'cancelled', reason: 'cancelled' });
    expect(cancelled.events[0]).toMatchObject({ attribute: 'cancelled', incomplete: false });
    const broken = apply(validated(), finished, {
      outcome: 'cancelled',
      reason: 'cancelled; ROLLBACK INCOMPLETE',
      incomplete: true,
      leftBehind: ['g1', 'g2'],
    });
    expect(broken.events[0]).toMatchObject({ outcome: 'cancelled', attribute: 'failed', incomplete: true });
    expect(broken.status.leftBehind).toEqual(['g1', 'g2']);
    expect(() => resultOf(broken.status)).toThrow(/no result/);
  });

  it('the result has the documented shape; failedStep only when not promoted', () => {
    let status = apply(start('r-1'), stepStarted, { step: 'preflight' }, T0).status;
    status = apply(status, stepFinished, { step: 'preflight' }, T0 + 20).status;
    status = apply(status, accountRead, { fromVersion: '1.0', blue: ['b1'] }).status;
    status = apply(status, finished, { outcome: 'failed', reason: 'no window', failedStep: 'preflight' }).status;
    expect(resultOf(status)).toEqual({
      accountId: 'acme',
      mode: 'upgrade',
      fromVersion: '1.0',
      toVersion: '2.0',
      outcome: 'failed',
      failedStep: 'preflight',
      reason: 'no window',
      checks: [],
      steps: [{ step: 'preflight', startedAt: '2026-11-23T10:00:00.000Z', durationMs: 20 }],
      leftBehind: [],
      instances: { blue: ['b1'], green: [] },
    });
    const promoted = apply(status, finished, { outcome: 'promoted', reason: 'already at version 2.0' }).status;
    expect(resultOf(promoted)).not.toHaveProperty('failedStep');
  });

  it('the status query answer keeps its documented shape', () => {
    const waiting = apply(apply(validated(), held, {}).status, approvalRequested, { why: 'x', timeoutMs: 1 }).status;
    expect(statusView(waiting)).toEqual({
      accountId: 'acme',
      version: '2.0',
      kind: 'minor',
      mode: 'upgrade',
      fromVersion: '1.0',
      step: 'starting',
      held: true,
      awaitingApproval: true,
      checks: [passed('canary')],
      steps: [],
      instances: { blue: ['b1'], green: ['g1', 'g2'] },
    });
    expect(statusView(apply(start('r-1'), finished, { outcome: 'promoted', reason: 'done' }).status)).toMatchObject({
      releaseId: 'r-1',
      step: 'done',
      outcome: 'promoted',
      reason: 'done',
    });
  });
});

describe('one swap per account, and reverts', () => {
  const heldBy = { workflowId: 'release-r1/acme/2.0', runId: 'run-1' };

  it('waits for the swap holding the account once per holder, and forgets it once claimed', () => {
    const waiting = apply(start(), accountBusy, { heldBy });
    expect(waiting.status.accountHeldBy).toEqual(heldBy);
    expect(statusView(waiting.status).accountHeldBy).toEqual(heldBy);
    expect(waiting.events).toEqual([{ type: 'waiting', wait: { for: 'account', heldBy } }]);
    expect(apply(waiting.status, accountBusy, { heldBy: { ...heldBy } }).events).toEqual([]);
    const other = { workflowId: 'deploy-acme/3.0', runId: 'run-9' };
    expect(apply(waiting.status, accountBusy, { heldBy: other }).status.accountHeldBy).toEqual(other);

    const claimed = apply(waiting.status, accountClaimed, { tookOverFrom: other });
    expect(claimed.status.accountHeldBy).toBeUndefined();
    expect(statusView(claimed.status)).not.toHaveProperty('accountHeldBy');
    expect(claimed.events).toEqual([{ type: 'account-claimed', tookOverFrom: other }]);
  });

  it('a revert says so in its status, its result and every value of the DeploymentOutcome attribute', () => {
    const revert = startSwap({ accountId: 'acme', version: '1.0', kind: 'major', mode: 'revert' }, T0).status;
    expect(statusView(revert).mode).toBe('revert');
    const done = apply(revert, finished, { outcome: 'promoted', reason: 'promoted 1.0' });
    expect(done.events).toMatchObject([{ type: 'finished', attribute: 'revert-promoted' }]);
    expect(resultOf(done.status).mode).toBe('revert');
    const cut = apply(revert, finished, { outcome: 'cancelled', reason: 'x', incomplete: true });
    expect(cut.events).toMatchObject([{ attribute: 'revert-failed' }]);
    expect(apply(start(), finished, { outcome: 'promoted', reason: 'x' }).events).toMatchObject([
      { attribute: 'promoted' },
    ]);
  });
});
