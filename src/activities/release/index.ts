import { ApplicationFailure } from '@temporalio/activity';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { ReleaseActivities } from '../../domain/release/activities';
import type { RegistryAccount } from '../../domain/release/waves';
import { FleetError } from '../../platform/provider';
import type { ActivityDeps } from '../deps';

/** Activities of the staged release: account registry look-ups. */
export function createReleaseActivities(deps: ActivityDeps): ReleaseActivities {
  return {
    async listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAccount[]> {
      try {
        const accounts = await deps.fleet.listAccounts();
        deps.logger.info({ releaseId: input.releaseId, accounts: accounts.length }, 'listed release accounts');
        return accounts.map(({ accountId, earlyAccess }) => ({ accountId, earlyAccess }));
      } catch (error) {
        if (error instanceof FleetError)
          throw error.retryable
            ? ApplicationFailure.retryable(error.message, DEPLOYMENT_FAILURES.fleetUnavailable)
            : ApplicationFailure.nonRetryable(error.message, 'FleetError');
        throw error;
      }
    },
  };
}
