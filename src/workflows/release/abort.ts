/** How an aborted release winds down: in-flight swaps were cancelled; with rollback, finished accounts go back. */
import { accountsToRevert } from '../../domain/release/accounts';
import { finishAborted } from '../../domain/release/lifecycle';
import type { ReleaseRun } from './release-run';

export async function windDownAbortedRelease(run: ReleaseRun): Promise<void> {
  if (run.status.abort?.rollback) {
    const swaps = accountsToRevert(run.status.accounts);
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
