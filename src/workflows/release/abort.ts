/** How an aborted release winds down: in-flight swaps were cancelled; with rollback, finished accounts go back. */
import { log } from '@temporalio/workflow';
import { markNotReleased } from '../../domain/release/status';
import { runDeployments } from './deployments';
import type { ReleaseRun } from './release-run';

export async function windDownAbortedRelease(run: ReleaseRun): Promise<void> {
  const { status } = run;
  const abort = status.abort!;
  if (abort.rollback) {
    const toRevert = Object.keys(status.accounts).filter((id) => {
      const account = status.accounts[id];
      return account.outcome === 'promoted' && account.previous && account.version !== account.previous;
    });
    run.enterStage('rolling-back', `${toRevert.length} account(s) back to their previous version`);
    await runDeployments(run, {
      accountIds: toRevert,
      versionFor: (id) => status.accounts[id].previous!,
      concurrency: Math.max(run.params.strategy.concurrency.wave1, run.params.strategy.concurrency.wave2),
      mayStart: () => true,
      revert: true,
      summary: (id, version) => `rollback: ${id} → ${version} (release aborted)`,
    });
  }
  markNotReleased(status, `release aborted before this account's turn: ${abort.reason}`);
  status.finishedAt = new Date().toISOString();
  run.enterStage('aborted', abort.reason);
  log.warn('release aborted', { ...run.logAttrs, reason: abort.reason, rollback: abort.rollback });
}
