import { ApplicationFailure } from '@temporalio/activity';
import type { ReleaseActivities } from '../../domain/release/activities';
import type { RegistryAccount } from '../../domain/release/waves';
import { FleetError } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { createReconcileActivity } from './reconcile';

/** Activities of the staged release: account registry look-ups, and reconciling accounts before a rollback. */
export function createReleaseActivities(deps: ActivityDeps): ReleaseActivities {
  return {
    ...createReconcileActivity(deps),
    async listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAccount[]> {
      try {
        const accounts = await deps.fleet.listAccounts();
        deps.logger.info({ releaseId: input.releaseId, accounts: accounts.length }, 'listed release accounts');
        return accounts.map(({ accountId, earlyAccess }) => ({ accountId, earlyAccess }));
      } catch (error) {
        if (error instanceof FleetError && !error.retryable)
          throw ApplicationFailure.nonRetryable(error.message, 'FleetError');
        throw error;
      }
    },
  };
}
