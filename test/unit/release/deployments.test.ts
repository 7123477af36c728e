import {
  finishDeployment,
  judgeWave,
  startDeployment,
  type SwapEnd,
  type SwapEnding,
} from '../../../src/domain/release/deployments';
import { applyMessage, parseMessage } from '../../../src/domain/release/messages';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import { statusView } from '../../../src/domain/release/view';
import { deepFreeze, Driver, plannedRelease, T0 } from './support';

const V = '2026.47.0';
const ACCOUNTS = [
  { accountId: 'early-1', wave: 1 as const },
  { accountId: 'early-2', wave: 1 as const },
  { accountId: 'late-1', wave: 2 as const },
  { accountId: 'late-2', wave: 2 as const },
  { accountId: 'late-3', wave: 2 as const },
];

/** Runs one swap of `accountId` to its end; the statuses in between are frozen. */
function swap(driver: Driver, accountId: string, end: SwapEnding, revert = false, version = V) {
  driver.apply((s) => startDeployment(deepFreeze(s), { accountId, version, revert }, T0));
  return driver.apply((s) =>
    finishDeployment(deepFreeze(s), { accountId, version, revert, ...end } as SwapEnd, T0 + 60_000),
  );
}
const rolledBack = {
  ending: 'result' as const,
  report: {
    outcome: 'rolled-back' as const,
    fromVersion: '2026.46.0',
    toVersion: V,
    failedStep: 'canary',
    reason: '40% differ',
  },
};
const promoted = (toVersion = V, fromVersion = '2026.46.0') => ({
  ending: 'result' as const,
  report: { outcome: 'promoted' as const, fromVersion, toVersion },
});
const account = (status: ReleaseStatus, id: string) => statusView(status).accounts[id];

describe('account deployment transitions', () => {
  test('a swap that ends without a result: cancelled by an abort, or the child failed', () => {
    const driver = new Driver(plannedRelease(ACCOUNTS));
    driver.apply((s) => applyMessage(s, parseMessage('abort', { reason: 'bad build' }), T0, 'update'));
    const [cancelled] = swap(driver, 'early-1', { ending: 'cancelled' });
    expect(cancelled).toMatchObject({ type: 'deployment-finished', ending: 'cancelled', outcome: 'cancelled' });
    expect(account(driver.status, 'early-1')).toMatchObject({
      state: 'done',
      outcome: 'cancelled',
      reason: 'cancelled: release aborted (bad build); the swap rolled back',
    });
    // A cancelled wave-1 swap does not push wave 2 back; a failed one does.
    expect(driver.status.lastWaveOneFinishedAt).toBeUndefined();
    swap(driver, 'early-2', { ending: 'failed', error: 'child workflow timed out' });
    expect(account(driver.status, 'early-2')).toMatchObject({
      outcome: 'failed',
      reason: 'deployment failed: child workflow timed out',
    });
    expect(driver.status.lastWaveOneFinishedAt).toBe(T0 + 60_000);
    expect(
      statusView(driver.status)
        .timeline.slice(-2)
        .map((e) => e.event),
    ).toEqual(['early-1 cancelled', 'early-2 failed']);
  });

  test("reverts keep the account's record of the release and end reverted, or failed when they do not finish", () => {
    const driver = new Driver(plannedRelease(ACCOUNTS));
    swap(driver, 'early-1', promoted());
    swap(driver, 'early-2', promoted());
    swap(driver, 'late-1', promoted());
    const finishedAt = driver.status.lastWaveOneFinishedAt;
    driver.apply((s) =>
      applyMessage(s, parseMessage('abort', { reason: 'escalations', rollback: true }), T0, 'signal'),
    );
    driver.apply((s) => startDeployment(s, { accountId: 'early-1', version: '2026.46.0', revert: true }, T0));
    expect(account(driver.status, 'early-1')).toMatchObject({ state: 'deploying', attempted: V, outcome: 'promoted' });
    driver.apply((s) =>
      finishDeployment(
        s,
        { accountId: 'early-1', version: '2026.46.0', revert: true, ...promoted('2026.46.0', V) },
        T0 + 1,
      ),
    );
    expect(account(driver.status, 'early-1')).toMatchObject({
      state: 'done',
      version: '2026.46.0',
      previous: '2026.46.0',
      attempted: V,
      outcome: 'reverted',
      reason: 'back on 2026.46.0 (release aborted)',
    });
    swap(driver, 'early-2', { ending: 'cancelled' }, true, '2026.46.0');
    expect(account(driver.status, 'early-2')).toMatchObject({
      outcome: 'failed',
      reason: 'rollback to 2026.46.0 cancelled: release aborted (escalations)',
    });
    swap(
      driver,
      'late-1',
      { ending: 'result', report: { ...rolledBack.report, toVersion: '2026.46.0' } },
      true,
      '2026.46.0',
    );
    expect(account(driver.status, 'late-1')).toMatchObject({
      outcome: 'rolled-back',
      reason: 'rollback to 2026.46.0 rolled-back: canary: 40% differ',
    });
    // Reverts do not move the wave-2 mark.
    expect(driver.status.lastWaveOneFinishedAt).toBe(finishedAt);
    expect(statusView(driver.status).waves.wave1).toMatchObject({ reverted: 1, failed: 1, done: 2 });
  });

  test('a wave-1 rollback opens an automated issue and, beyond the budget, halts the wave', () => {
    const driver = new Driver(plannedRelease(ACCOUNTS));
    swap(driver, 'early-1', promoted());
    expect(driver.apply((s) => judgeWave(s, { accountId: 'early-1', wave: 1, budget: 0 }, T0))).toEqual([]);
    swap(driver, 'early-2', rolledBack);
    const events = driver.apply((s) => judgeWave(deepFreeze(s), { accountId: 'early-2', wave: 1, budget: 0 }, T0));
    expect(events.map((e) => e.type)).toEqual(['issue-opened', 'wave-halted']);
    expect(events[0]).toMatchObject({
      source: 'automated',
      accounts: ['early-2'],
      summary: `early-2 rolled-back on ${V}: canary: 40% differ`,
    });
    expect(driver.status.halt).toEqual({
      wave: 1,
      reason: `wave 1 failure budget (0) exceeded: 1 account(s) rolled back or failed on ${V}`,
    });
    expect(
      statusView(driver.status)
        .timeline.map((e) => e.event)
        .slice(-2),
    ).toEqual(['early-2 rolled-back', 'issue #1 opened (automated)']);
  });

  test('wave 2 halts only beyond its budget, once, with an issue naming the failed accounts', () => {
    const driver = new Driver(plannedRelease(ACCOUNTS));
    swap(driver, 'late-1', rolledBack);
    expect(driver.apply((s) => judgeWave(s, { accountId: 'late-1', wave: 2, budget: 1 }, T0))).toEqual([]);
    swap(driver, 'late-2', { ending: 'result', report: { ...rolledBack.report, outcome: 'failed' } });
    const halted = driver.apply((s) => judgeWave(s, { accountId: 'late-2', wave: 2, budget: 1 }, T0));
    expect(halted.map((e) => e.type)).toEqual(['wave-halted', 'issue-opened']);
    expect(halted[1]).toMatchObject({
      accounts: ['late-1', 'late-2'],
      summary: expect.stringMatching(/^wave 2 failure budget \(1\) exceeded: 2 account/),
    });
    swap(driver, 'late-3', rolledBack);
    expect(driver.apply((s) => judgeWave(s, { accountId: 'late-3', wave: 2, budget: 1 }, T0))).toEqual([]);
  });

  test('nothing is judged while the release is being aborted', () => {
    const driver = new Driver(plannedRelease(ACCOUNTS));
    swap(driver, 'early-1', rolledBack);
    driver.apply((s) => applyMessage(s, parseMessage('abort', { reason: 'stop' }), T0, 'update'));
    expect(driver.apply((s) => judgeWave(s, { accountId: 'early-1', wave: 1, budget: 0 }, T0))).toEqual([]);
  });
});
