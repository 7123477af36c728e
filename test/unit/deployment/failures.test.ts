/** Failure classification of the swap: what an error thrown by a step means. */
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { CheckReport } from '../../../src/domain/deployment/swap';
import { classifyFailure, SwapStop } from '../../../src/workflows/deployment/failures';

const report: CheckReport = { check: 'watch', verdict: 'failed', summary: 'error rate breached', evidence: {} };

function fromActivity(activityType: string, cause: Error): ActivityFailure {
  return new ActivityFailure('Activity task failed', activityType, 'act-1', undefined, undefined, cause);
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
