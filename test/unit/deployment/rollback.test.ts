/** How a stopped swap ends: outcome and reason from the failure and what the compensations did. */
import {
  decideRollback,
  failedStepOf,
  repairAdvice,
  rollbackCause,
  rollbackTrigger,
  type SwapFailure,
} from '../../../src/domain/deployment/rollback';

const scene = (green: string[], blue: string[] = ['b1']) => ({
  accountId: 'acme',
  version: '2026.47.0',
  fromVersion: '2026.46.0',
  blue,
  green,
});
const breach: SwapFailure = { kind: 'error', reason: 'latency breached: 3 of 20 probes', breachDetectedAt: 1_000 };
const repaired = { skipped: [] };
const blueGone = {
  failed: { name: 'route traffic back to blue', reason: 'blue instance b1 is gone' },
  skipped: ['decommission green'],
};

describe('rollback decision', () => {
  it('a failure of something tried, fully undone, is rolled back at the step the swap was in', () => {
    expect(decideRollback(breach, 'watch', repaired, scene(['g1']))).toEqual({
      outcome: 'rolled-back',
      reason: 'latency breached: 3 of 20 probes',
      failedStep: 'watch',
      incomplete: false,
    });
  });

  it('a business stop ends with its own outcome, step and reason', () => {
    const stop: SwapFailure = { kind: 'stopped', outcome: 'failed', step: 'preflight', reason: 'no window' };
    expect(decideRollback(stop, 'provision', repaired, scene([]))).toEqual({
      outcome: 'failed',
      reason: 'no window',
      failedStep: 'preflight',
      incomplete: false,
    });
    const rejected: SwapFailure = { kind: 'stopped', outcome: 'rolled-back', step: 'approval', reason: 'rejected' };
    expect(decideRollback(rejected, 'approval', repaired, scene(['g1'])).outcome).toBe('rolled-back');
  });

  it('a swap that could not start (unknown account or version) failed', () => {
    const unknown: SwapFailure = { kind: 'precondition', reason: 'version 1999.1.0 is unknown' };
    expect(decideRollback(unknown, 'provision', repaired, scene([]))).toMatchObject({
      outcome: 'failed',
      reason: 'version 1999.1.0 is unknown',
      failedStep: 'provision',
    });
  });

  it('a cancelled swap stays cancelled, with the cancellation as the reason', () => {
    expect(decideRollback({ kind: 'cancelled' }, 'watch', repaired, scene(['g1']))).toEqual({
      outcome: 'cancelled',
      reason: 'cancelled while the swap was in progress',
      failedStep: 'watch',
      incomplete: false,
    });
  });

  it('a rollback that could not repair fails, says what failed, what was not done, what is left and how on-call repairs it', () => {
    expect(decideRollback(breach, 'watch', blueGone, scene(['g1', 'g2']))).toEqual({
      outcome: 'failed',
      reason:
        'latency breached: 3 of 20 probes; ROLLBACK INCOMPLETE: "route traffic back to blue" failed (blue instance b1 is gone), not done: decommission green; left behind: g1, g2. ' +
        'On-call: traffic is still on green 2026.47.0 (g1, g2) and blue (b1) cannot take it back. Either keep 2026.47.0 serving, ' +
        'or start 2026.46.0 again (POST /accounts/acme/instances {"version":"2026.46.0","count":1,"requestId":"repair-acme"}), ' +
        'wait until GET /accounts/acme/instances shows it ready, switch the pool to it (PUT /accounts/acme/pool {"instanceIds":[…]}), ' +
        'then stop green (POST /accounts/acme/decommission {"instanceIds":["g1","g2"]})',
      failedStep: 'watch',
      incomplete: true,
      leftBehind: ['g1', 'g2'],
    });
    const lastUndo = { failed: { name: 'decommission green', reason: 'GreenServing' }, skipped: [] };
    expect(decideRollback(breach, 'initialization', lastUndo, scene(['g3'])).reason).toBe(
      'latency breached: 3 of 20 probes; ROLLBACK INCOMPLETE: "decommission green" failed (GreenServing); left behind: g3. ' +
        'On-call: traffic is on blue; green (g3) still runs outside the pool: stop it (POST /accounts/acme/decommission {"instanceIds":["g3"]}) once GET /accounts/acme/state shows it out of the pool',
    );
    expect(repairAdvice('maintenance mode off', scene([]))).toBe(
      'the account is still in maintenance mode: turn it off (PUT /accounts/acme/maintenance {"enabled":false})',
    );
    expect(repairAdvice('something else', scene([]))).toMatch(/GET \/accounts\/acme\/state/);
  });

  it('a cancelled swap whose rollback could not repair stays cancelled but incomplete', () => {
    expect(decideRollback({ kind: 'cancelled' }, 'watch', blueGone, scene(['g1']))).toMatchObject({
      outcome: 'cancelled',
      reason: expect.stringMatching(/^cancelled while the swap was in progress; ROLLBACK INCOMPLETE/),
      incomplete: true,
      leftBehind: ['g1'],
    });
  });

  it('names preflight when the swap was not inside a step', () => {
    expect(failedStepOf(breach, 'starting')).toBe('preflight');
    expect(failedStepOf(breach, 'rollback')).toBe('preflight');
    expect(failedStepOf(breach, 'done')).toBe('preflight');
    expect(failedStepOf(breach, 'canary')).toBe('canary');
  });

  it('tells the compensations the trigger, and the breach time only when the watch saw one', () => {
    expect(rollbackCause(breach)).toEqual({ trigger: 'latency breached: 3 of 20 probes', breachDetectedAt: 1_000 });
    expect(rollbackCause({ kind: 'cancelled' })).toEqual({ trigger: 'cancelled while the swap was in progress' });
    expect(rollbackTrigger({ kind: 'stopped', outcome: 'rolled-back', step: 'approval', reason: 'rejected' })).toBe(
      'rejected',
    );
  });
});
