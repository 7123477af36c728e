/**
 * How an aborted release winds down: in-flight swaps were cancelled; with rollback, accounts whose
 * swap ended half-way are reconciled with the fleet, then every account on this release's version
 * goes back to its previous one by a revert swap.
 */
import { patched } from '@temporalio/workflow';
import { accountsToRevert } from '../../domain/release/accounts';
import { finishAborted } from '../../domain/release/lifecycle';
import { accountsToRestore } from '../../domain/release/reconcile';
import { reconcileAccounts, RECONCILE_PATCH } from './reconcile';
import type { ReleaseRun } from './release-run';

export async function windDownAbortedRelease(run: ReleaseRun): Promise<void> {
  if (run.status.abort?.rollback) {
    const reconciles = patched(RECONCILE_PATCH);
    if (reconciles) await reconcileAccounts(run);
    const swaps = reconciles ? accountsToRestore(run.status.accounts) : accountsToRevert(run.status.accounts);
    run.enterStage('rolling-back', `${swaps.length} account(s) back to their previous version`);
    const { concurrency } = run.params.strategy;
    await run.deploy({
      swaps,
      concurrency: Math.max(concurrency.wave1, concurrency.wave2),
      revert: true,
      mayGoOn: () => true,
      summary: (accountId, version) => `rollback: ${accountId} → ${version} (release aborted)`,
    });
  }
  run.apply(finishAborted);
}
