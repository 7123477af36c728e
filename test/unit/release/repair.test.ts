import { accountOf, accountsToDeploy } from '../../../src/domain/release/accounts';
import { finishDeployment, startDeployment } from '../../../src/domain/release/deployments';
import { checkMessage, MessageRejected, parseMessage } from '../../../src/domain/release/messages';
import { applyRepair, repairRefusal } from '../../../src/domain/release/repair';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import { timelineEntry } from '../../../src/domain/release/timeline';
import { plannedRelease, T0 } from './support';

const V = '2026.47.0';

function swapped(status: ReleaseStatus, accountId: string, outcome: 'promoted' | 'rolled-back'): ReleaseStatus {
  const started = startDeployment(status, { accountId, version: V, revert: false }, T0).status;
  const report = {
    outcome,
    fromVersion: '2026.46.0',
    toVersion: V,
    ...(outcome === 'promoted' ? {} : { reason: 'x' }),
  };
  return finishDeployment(started, { accountId, version: V, revert: false, ending: 'result', report }, T0).status;
}

describe('per-account repair', () => {
  const released = swapped(swapped(plannedRelease(), 'acme', 'promoted'), 'globex', 'rolled-back');

  it('retries an account whose swap rolled back: a swap of the target now, recorded in the timeline', () => {
    const { transition, swap } = applyRepair(
      released,
      { name: 'retryAccount', accountId: 'globex', reason: 'fixed the config' },
      T0,
      'update',
    );
    expect(swap).toEqual({ accountId: 'globex', version: V, revert: false });
    expect(accountOf(transition.status.accounts, 'globex')).toMatchObject({ state: 'done', outcome: undefined });
    expect(transition.events.map((event) => timelineEntry(event)?.event)).toEqual([`globex retried on ${V} (update)`]);
  });

  it('skips an account: not released, with the reason, and no wave swaps it', () => {
    const { transition, swap } = applyRepair(
      plannedRelease(),
      { name: 'skipAccount', accountId: 'hooli', reason: 'customer freeze' },
      T0,
      'signal',
    );
    expect(swap).toBeUndefined();
    expect(accountOf(transition.status.accounts, 'hooli')).toMatchObject({
      state: 'done',
      outcome: 'not-released',
      reason: 'skipped by on-call: customer freeze',
      skipped: true,
    });
    expect(accountsToDeploy(transition.status.accounts, 2, V)).toEqual([]);
    // Retrying a skipped account that never swapped puts it back in its wave's line.
    const back = applyRepair(
      transition.status,
      { name: 'retryAccount', accountId: 'hooli', reason: 'freeze over' },
      T0,
      'update',
    );
    expect(back.swap).toBeUndefined();
    expect(accountsToDeploy(back.transition.status.accounts, 2, V)).toEqual(['hooli']);
  });

  it('rolls back one promoted account to the version it ran before, by a revert', () => {
    const { swap, transition } = applyRepair(
      released,
      { name: 'rollbackAccount', accountId: 'acme', reason: 'latency report' },
      T0,
      'update',
    );
    expect(swap).toEqual({ accountId: 'acme', version: '2026.46.0', revert: true });
    expect(transition.events[0]).toMatchObject({ type: 'account-rollback-requested', version: '2026.46.0' });
    const reverted = finishDeployment(
      startDeployment(transition.status, { accountId: 'acme', version: '2026.46.0', revert: true }, T0).status,
      {
        accountId: 'acme',
        version: '2026.46.0',
        revert: true,
        ending: 'result',
        report: { outcome: 'promoted', fromVersion: V, toVersion: '2026.46.0' },
      },
      T0,
    ).status;
    expect(accountOf(reverted.accounts, 'acme')).toMatchObject({
      outcome: 'reverted',
      version: '2026.46.0',
      reason: 'back on 2026.46.0 (rolled back by on-call)',
    });
  });

  it.each([
    ['retryAccount', 'nobody', 'retryAccount: nobody is not in release 2026-47'],
    ['retryAccount', 'hooli', 'retryAccount: hooli has not been swapped in this release yet; its wave will swap it'],
    ['retryAccount', 'acme', `retryAccount: acme is already promoted on ${V}; nothing to retry`],
    ['skipAccount', 'acme', 'skipAccount: acme already runs 2026.47.0; send rollbackAccount to put it back'],
    ['rollbackAccount', 'globex', 'rollbackAccount: globex is not promoted in this release (rolled-back)'],
    ['rollbackAccount', 'hooli', 'rollbackAccount: hooli is not promoted in this release (pending)'],
  ] as const)('refuses %s of %s, saying why', (name, accountId, words) => {
    expect(repairRefusal(released, { name, accountId, reason: 'r' })).toContain(words);
    expect(() => checkMessage(released, parseMessage(name, { accountId, reason: 'r' }), T0)).toThrow(MessageRejected);
  });

  it('refuses any repair of an account whose swap is running (one swap per account at a time)', () => {
    const deploying = startDeployment(plannedRelease(), { accountId: 'hooli', version: V, revert: false }, T0).status;
    expect(repairRefusal(deploying, { name: 'skipAccount', accountId: 'hooli', reason: 'r' })).toContain(
      'is being swapped now',
    );
  });

  it('refuses a payload without a reason or account, in words that say what to fix', () => {
    expect(() => parseMessage('retryAccount', { accountId: 'acme' })).toThrow(/retryAccount: .*reason/);
    expect(() => parseMessage('skipAccount', { reason: 'x' })).toThrow(/skipAccount: .*accountId/);
    expect(() => parseMessage('rollbackAccount', { accountId: 'acme', reason: ' ' })).toThrow(/give a reason/);
  });
});
