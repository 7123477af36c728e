/** Failure classification of the swap: what an error thrown by a step means. */
import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import type { CheckReport } from '../../../src/domain/deployment/swap';
import { classifyFailure, infrastructureFault, SwapStop } from '../../../src/workflows/deployment/failures';

const report: CheckReport = { check: 'watch', verdict: 'failed', summary: 'error rate breached', evidence: {} };

function fromActivity(activityType: string, cause: Error, retryState?: RetryState): ActivityFailure {
  return new ActivityFailure('Activity task failed', activityType, 'act-1', retryState, undefined, cause);
}

describe('swap failure classification', () => {
  it('a watch breach carries its report and when it was detected (epoch ms)', () => {
    const breach = ApplicationFailure.nonRetryable(
      'error rate breached',
      'WatchBreached',
      report,
      '2026-11-23T10:00:00.250Z',
    );
    expect(classifyFailure(fromActivity('watchGreen', breach))).toEqual({
      kind: 'error',
      reason: 'error rate breached',
      report,
      breachDetectedAt: Date.parse('2026-11-23T10:00:00.250Z'),
    });
  });

  it('a failed check carries its report, and no breach time', () => {
    const canary = { ...report, check: 'canary' as const };
    const failed = ApplicationFailure.nonRetryable('values differ', 'ValidationFailed', canary, '2026-11-23T10:00:00Z');
    expect(classifyFailure(fromActivity('runCanary', failed))).toEqual({
      kind: 'error',
      reason: 'values differ',
      report: canary,
    });
  });

  it('unknown account or version: the swap could not start', () => {
    const missing = ApplicationFailure.nonRetryable('version 1999.1.0 is unknown', 'VersionNotFound');
    expect(classifyFailure(fromActivity('provisionGreen', missing))).toEqual({
      kind: 'precondition',
      reason: 'version 1999.1.0 is unknown',
    });
    expect(classifyFailure(ApplicationFailure.nonRetryable('no such account', 'AccountNotFound')).kind).toBe(
      'precondition',
    );
  });

  it('a business stop, a cancellation and an activity that ran out of retries', () => {
    expect(classifyFailure(new SwapStop('rolled-back', 'approval', 'rejected by bob'))).toEqual({
      kind: 'stopped',
      outcome: 'rolled-back',
      step: 'approval',
      reason: 'rejected by bob',
    });
    expect(classifyFailure(new CancelledFailure('cancelled'))).toEqual({ kind: 'cancelled' });
    expect(classifyFailure(fromActivity('promoteGreen', new CancelledFailure('cancelled')))).toEqual({
      kind: 'cancelled',
    });
    expect(classifyFailure(fromActivity('promoteGreen', new Error('socket hang up')))).toEqual({
      kind: 'error',
      reason: 'promoteGreen failed: socket hang up',
    });
  });
});

describe('infrastructure or evidence', () => {
  const blind = { since: 1_000, cause: 'fleet unreachable', detail: 'probe through the router: ECONNREFUSED' };

  it("a call whose time budget ran out while the activity could not see the fleet: infrastructure, with the activity's own account and progress", () => {
    const progress = { tally: { sent: 12 }, observedMs: 1_200, blind };
    const timedOut = new TimeoutFailure('activity ScheduleToClose timeout', progress, 'SCHEDULE_TO_CLOSE');
    expect(infrastructureFault(fromActivity('watchGreen', timedOut, 'NON_RETRYABLE_FAILURE'))).toEqual({
      cause: 'fleet unreachable',
      detail: 'probe through the router: ECONNREFUSED',
      since: 1_000,
      progress,
    });
  });

  it('a lost worker (heartbeat timeout) and a call that took its whole budget: infrastructure', () => {
    const lost = new TimeoutFailure('activity Heartbeat timeout', { observedMs: 300 }, 'HEARTBEAT');
    expect(infrastructureFault(fromActivity('awaitGreenReady', lost, 'TIMEOUT'))).toEqual({
      cause: 'worker lost',
      detail: 'awaitGreenReady: activity Heartbeat timeout',
      progress: { observedMs: 300 },
    });
    const slow = new TimeoutFailure('activity ScheduleToClose timeout', undefined, 'SCHEDULE_TO_CLOSE');
    expect(infrastructureFault(fromActivity('promoteGreen', slow))).toMatchObject({ cause: 'no answer in time' });
  });

  it('a retryable failure left when the budget allowed no further attempt: infrastructure (FleetUnavailable names the fleet)', () => {
    const unavailable = ApplicationFailure.retryable('fleet daemon answered 503', 'FleetUnavailable');
    expect(infrastructureFault(fromActivity('routeBackToBlue', unavailable, 'TIMEOUT'))).toEqual({
      cause: 'fleet unreachable',
      detail: 'fleet daemon answered 503',
    });
    const other = ApplicationFailure.retryable('green instance(s) still running: g1', 'GreenStillRunning');
    expect(infrastructureFault(fromActivity('decommissionGreen', other, 'MAXIMUM_ATTEMPTS_REACHED'))).toEqual({
      cause: 'decommissionGreen keeps failing',
      detail: 'green instance(s) still running: g1',
    });
  });

  it('evidence about the new version and refusals are never infrastructure: they roll back', () => {
    for (const type of ['ValidationFailed', 'WatchBreached', 'BlueMissing', 'FleetRejected', 'AccountNotFound']) {
      const failure = ApplicationFailure.nonRetryable(`${type} happened`, type, report);
      expect(infrastructureFault(fromActivity('anyActivity', failure, 'NON_RETRYABLE_FAILURE'))).toBeUndefined();
    }
  });

  it('cancellations, business stops and errors that are not an activity failure are not infrastructure', () => {
    expect(infrastructureFault(fromActivity('watchGreen', new CancelledFailure('cancelled')))).toBeUndefined();
    expect(infrastructureFault(new CancelledFailure('cancelled'))).toBeUndefined();
    expect(infrastructureFault(new SwapStop('rolled-back', 'approval', 'rejected'))).toBeUndefined();
    expect(
      infrastructureFault(ApplicationFailure.retryable('not from an activity', 'FleetUnavailable')),
    ).toBeUndefined();
    expect(infrastructureFault(new Error('bug'))).toBeUndefined();
  });

  it('ignores heartbeat details that do not say why the activity was blind', () => {
    const odd = new TimeoutFailure(
      'activity ScheduleToClose timeout',
      { blind: { since: 'yesterday' } },
      'SCHEDULE_TO_CLOSE',
    );
    expect(infrastructureFault(fromActivity('watchGreen', odd))).toMatchObject({ cause: 'no answer in time' });
  });
});
