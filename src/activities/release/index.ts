import { ApplicationFailure, Context } from '@temporalio/activity';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { ReleaseActivities, VersionLookup } from '../../domain/release/activities';
import type { RegistryAccount } from '../../domain/release/waves';
import { FleetError } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { temporalReleaseDirectory } from '../release-directory';
import { createReconcileActivity } from './reconcile';

/** Activities of the staged release: account registry and version catalogue look-ups, and reconciling accounts before a rollback. */
export function createReleaseActivities(deps: ActivityDeps): ReleaseActivities {
  const directory = () => deps.releases ?? temporalReleaseDirectory();
  return {
    ...createReconcileActivity(deps),
    async listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAccount[]> {
      try {
        const accounts = await deps.fleet.listAccounts();
        deps.logger.info({ releaseId: input.releaseId, accounts: accounts.length }, 'listed release accounts');
        return accounts.map(({ accountId, earlyAccess }) => ({ accountId, earlyAccess }));
      } catch (error) {
        throw asFailure(error);
      }
    },

    async lookUpVersion(input: { releaseId: string; version: string }): Promise<VersionLookup> {
      const { releaseId, version } = input;
      try {
        await deps.fleet.getVersion(version);
        return { version, known: true };
      } catch (error) {
        if (error instanceof FleetError && error.status === 404) {
          deps.logger.warn({ releaseId, version }, 'version not in the platform catalogue');
          return { version, known: false };
        }
        throw asFailure(error);
      }
    },

    async findReleasesOfVersion(input: { releaseId: string; version: string }) {
      const { releaseId, version } = input;
      const self = Context.current().info.workflowExecution;
      const found = await directory().releasesOfVersion({ version, exceptRunId: self?.runId });
      if (found.length)
        deps.logger.warn({ releaseId, version, releases: found }, 'version already released by another release');
      return found;
    },
  };
}

/**
 * A fleet answer retrying cannot change is non-retryable; no answer, a 5xx or a 429 is the
 * retryable `FleetUnavailable` the release retries by time and shows as a stall.
 */
export function asFailure(error: unknown): unknown {
  if (error instanceof FleetError)
    return error.retryable
      ? ApplicationFailure.retryable(error.message, DEPLOYMENT_FAILURES.fleetUnavailable)
      : ApplicationFailure.nonRetryable(error.message, 'FleetError');
  return error;
}
