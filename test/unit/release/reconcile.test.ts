/** Reconciliation before an abort's rollback: which accounts are read, and what is decided from what the fleet says. */
import { finishDeployment, startDeployment, type SwapEnding } from '../../../src/domain/release/deployments';
import { readCarried } from '../../../src/domain/release/carried';
import { carry } from '../../../src/domain/release/carried';
import {
  accountReconciled,
  accountsToReconcile,
  accountsToRestore,
  type AccountFindings,
} from '../../../src/domain/release/reconcile';
import { accountOf } from '../../../src/domain/release/accounts';
import { timelineEntry } from '../../../src/domain/release/timeline';
import { deepFreeze, Driver, plannedRelease, T0 } from './support';

const P = '2026.46.0';
const V = '2026.47.0';
const PATCH = '2026.47.1';
const ACCOUNTS = ['terminated', 'cancelled', 'incomplete', 'rolled-back', 'promoted', 'pending'].map((accountId) => ({
  accountId,
  wave: 1 as const,
}));
const found = (serving: string | null, extra: Partial<AccountFindings> = {}): AccountFindings => ({
  serving,
  swapRunning: false,
  removed: [],
  ...extra,
});

function swap(driver: Driver, accountId: string, end: SwapEnding, version = V, revert = false) {
  driver.apply((s) => startDeployment(deepFreeze(s), { accountId, version, revert }, T0));
  driver.apply((s) => finishDeployment(deepFreeze(s), { accountId, version, revert, ...end }, T0 + 60_000));
}
const result = (outcome: 'promoted' | 'rolled-back' | 'failed', toVersion = V) => ({
  ending: 'result' as const,
  report: { outcome, fromVersion: P, toVersion, reason: outcome === 'failed' ? 'ROLLBACK INCOMPLETE' : undefined },
});

function release(): Driver {
  const driver = new Driver(plannedRelease(ACCOUNTS));
  swap(driver, 'terminated', { ending: 'failed', error: 'Workflow execution terminated' });
  swap(driver, 'cancelled', { ending: 'cancelled' });
  swap(driver, 'incomplete', result('failed'));
  swap(driver, 'rolled-back', result('rolled-back'));
  swap(driver, 'promoted', result('promoted'));
  return driver;
}

describe('reconciling accounts before an abort with rollback', () => {
  it('reads the accounts whose swap ended failed or cancelled, naming the swap by its workflow id', () => {
    expect(accountsToReconcile(release().status.accounts, 'r-1')).toEqual([
      { accountId: 'terminated', version: V, swapWorkflowId: `release-r-1/terminated/${V}` },
      { accountId: 'cancelled', version: V, swapWorkflowId: `release-r-1/cancelled/${V}` },
      { accountId: 'incomplete', version: V, swapWorkflowId: `release-r-1/incomplete/${V}` },
    ]);
  });

  it('reverts an account that serves the release, with the previous version from the swap when the release lacks it', () => {
    const driver = release();
    const events = driver.apply((s) =>
      accountReconciled(
        deepFreeze(s),
        { accountId: 'terminated', findings: found(V, { swapFrom: P, removed: ['b1'] }) },
        T0,
      ),
    );
    expect(accountOf(driver.status.accounts, 'terminated')).toMatchObject({
      outcome: 'failed',
      version: V,
      previous: P,
      reconciled: 'revert',
    });
    expect(events).toMatchObject([{ type: 'account-reconciled', action: 'revert', serving: V, removed: 1 }]);
    expect(timelineEntry(events[0])).toMatchObject({
      event: 'terminated reconciled',
      detail: `serves ${V}: revert to ${P}; removed 1 leftover instance(s) of its swap`,
    });
    // A rollback that could not repair: the release thought it was on P, the fleet says V.
    driver.apply((s) => accountReconciled(s, { accountId: 'incomplete', findings: found(V) }, T0));
    expect(accountsToRestore(driver.status.accounts)).toEqual([
      { accountId: 'terminated', version: P },
      { accountId: 'incomplete', version: P },
      { accountId: 'promoted', version: P },
    ]);
    expect(accountsToReconcile(driver.status.accounts, 'r-1').map((t) => t.accountId)).toEqual(['cancelled']);
  });

  it('leaves an account that is back on its previous version where it is, saying what was removed', () => {
    const driver = release();
    const events = driver.apply((s) =>
      accountReconciled(s, { accountId: 'cancelled', findings: found(P, { removed: ['g1', 'g2'] }) }, T0),
    );
    expect(events[0]).toMatchObject({ action: 'cleaned' });
    expect(accountOf(driver.status.accounts, 'cancelled')).toMatchObject({ outcome: 'cancelled', version: P });
    expect(accountOf(driver.status.accounts, 'cancelled').reason).toMatch(/^reconciled: on 2026\.46\.0; removed 2/);
    driver.apply((s) => accountReconciled(s, { accountId: 'terminated', findings: found(P) }, T0));
    expect(accountOf(driver.status.accounts, 'terminated').reconciled).toBe('in-order');
    expect(accountsToRestore(driver.status.accounts)).toEqual([{ accountId: 'promoted', version: P }]);
  });

  it('never reverts what it cannot: an unknown previous version, an empty pool, a swap running again, an unreadable fleet', () => {
    const driver = release();
    driver.apply((s) => accountReconciled(s, { accountId: 'terminated', findings: found(V) }, T0));
    driver.apply((s) => accountReconciled(s, { accountId: 'cancelled', findings: found(null) }, T0));
    driver.apply((s) =>
      accountReconciled(s, { accountId: 'incomplete', findings: found(V, { swapRunning: true }) }, T0),
    );
    const actions = ['terminated', 'cancelled', 'incomplete'].map(
      (id) => accountOf(driver.status.accounts, id).reconciled,
    );
    expect(actions).toEqual(['unknown-previous', 'no-pool', 'busy']);
    expect(accountOf(driver.status.accounts, 'terminated').reason).toMatch(/deploy it back by hand/);
    expect(accountsToRestore(driver.status.accounts)).toEqual([{ accountId: 'promoted', version: P }]);

    const other = release();
    other.apply((s) => accountReconciled(s, { accountId: 'terminated', problem: 'account is gone' }, T0));
    expect(accountOf(other.status.accounts, 'terminated')).toMatchObject({ reconciled: 'unreadable' });
    expect(accountOf(other.status.accounts, 'terminated').reason).toMatch(/could not be read: account is gone/);
  });

  it('a version this release promoted earlier counts as the release’s, not as the previous one', () => {
    const driver = new Driver(plannedRelease([{ accountId: 'patched', wave: 1 }]));
    swap(driver, 'patched', result('promoted'));
    swap(driver, 'patched', { ending: 'failed', error: 'terminated' }, PATCH);
    driver.apply((s) => accountReconciled(s, { accountId: 'patched', findings: found(V, { swapFrom: V }) }, T0));
    expect(accountOf(driver.status.accounts, 'patched')).toMatchObject({ reconciled: 'revert', previous: P });
    expect(accountsToRestore(driver.status.accounts)).toEqual([{ accountId: 'patched', version: P }]);
  });

  it('a revert that started is not started again, and the decision survives continue-as-new', () => {
    const driver = release();
    driver.apply((s) => accountReconciled(s, { accountId: 'terminated', findings: found(V, { swapFrom: P }) }, T0));
    const carried = readCarried(JSON.parse(JSON.stringify(carry(driver.status))));
    expect(accountOf(carried.accounts, 'terminated').reconciled).toBe('revert');
    swap(driver, 'terminated', result('failed', P), P, true);
    expect(accountOf(driver.status.accounts, 'terminated')).toMatchObject({
      reconciled: 'reverting',
      outcome: 'failed',
    });
    expect(accountsToRestore(driver.status.accounts)).toEqual([{ accountId: 'promoted', version: P }]);
    expect(accountsToReconcile(driver.status.accounts, 'r-1').map((t) => t.accountId)).not.toContain('terminated');
  });
});
