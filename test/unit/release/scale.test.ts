/**
 * A release of 20,000 accounts through the real transitions: a transition that touches one
 * account copies one bucket of the account table (and the bucket list), never the accounts.
 */
import { countAccounts } from '../../../src/domain/release/accounts';
import { finishDeployment, judgeWave, startDeployment } from '../../../src/domain/release/deployments';
import type { ReleaseStatus, Transition } from '../../../src/domain/release/status';
import { statusSummary } from '../../../src/domain/release/view';
import { plannedRelease, T0 } from './support';

const ACCOUNTS = Array.from({ length: 20_000 }, (_, i) => ({
  accountId: `account-${String(i).padStart(5, '0')}`,
  wave: (i % 20 === 0 ? 1 : 2) as 1 | 2,
}));

test('20,000 accounts deployed one by one: every transition copies at most one bucket', () => {
  let status = plannedRelease(ACCOUNTS);
  let worst = 0;
  const apply = (transition: Transition) => {
    const before = status.accounts.table.buckets;
    status = transition.status;
    worst = Math.max(worst, status.accounts.table.buckets.filter((bucket, b) => bucket !== before[b]).length);
  };
  for (const [i, { accountId, wave }] of ACCOUNTS.entries()) {
    const swap = { accountId, version: '2026.47.0', revert: false };
    apply(startDeployment(status, swap, T0 + i));
    const outcome = i % 1000 === 1 ? 'rolled-back' : 'promoted'; // 20 wave-2 accounts
    apply(
      finishDeployment(
        status,
        { ...swap, ending: 'result', report: { outcome, fromVersion: '2026.46.0', toVersion: '2026.47.0' } },
        T0 + i,
      ),
    );
    apply(judgeWave(status, { accountId, wave, budget: 100 }, T0 + i));
  }
  expect(worst).toBe(1);
  const final: ReleaseStatus = status;
  expect(final.accounts.counts).toEqual(countAccounts(final.accounts.table));
  expect(statusSummary(final).waves.wave2).toMatchObject({ total: 19_000, promoted: 18_980, 'rolled-back': 20 });
  expect(JSON.stringify(statusSummary(final)).length).toBeLessThan(200_000);
});
