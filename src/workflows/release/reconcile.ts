/**
 * Before an abort's rollback: accounts whose swap ended half-way (terminated, failed as a
 * workflow, cancelled, rollback incomplete) are read from the fleet, their swap's leftovers
 * removed, and each recorded with what was found and decided (src/domain/release/reconcile.ts).
 */
import { ActivityFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { ReleaseActivities } from '../../domain/release/activities';
import { accountReconciled, accountsToReconcile } from '../../domain/release/reconcile';
import type { ReleaseRun } from './release-run';

/** Releases recorded before reconciliation existed replay without it. */
export const RECONCILE_PATCH = 'reconcile-before-revert';
/** Accounts read at once. */
const BATCH = 10;

const { reconcileAccount } = proxyActivities<ReleaseActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { maximumInterval: '30 seconds' },
});

export async function reconcileAccounts(run: ReleaseRun): Promise<void> {
  const { releaseId } = run.status;
  const targets = accountsToReconcile(run.status.accounts, releaseId);
  if (targets.length === 0) return;
  run.enterStage('rolling-back', `reconciling ${targets.length} account(s) whose swap ended half-way`);
  for (let start = 0; start < targets.length; start += BATCH) {
    // Reconciled accounts are marked: a new run goes on with the rest.
    if (run.historyFull(0)) await run.continueAsNew();
    await Promise.all(
      targets.slice(start, start + BATCH).map(async (target) => {
        try {
          const findings = await reconcileAccount.executeWithOptions(
            { summary: `reconcile ${target.accountId} with the fleet (its swap to ${target.version} ended half-way)` },
            [{ ...target, releaseId }],
          );
          run.apply((status, now) => accountReconciled(status, { accountId: target.accountId, findings }, now));
        } catch (error) {
          if (isCancellation(error)) throw error;
          const problem = error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : String(error);
          run.apply((status, now) => accountReconciled(status, { accountId: target.accountId, problem }, now));
        }
      }),
    );
  }
}
