import { ApplicationFailure, Context } from '@temporalio/activity';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { ReleaseActivities, VersionLookup } from '../../domain/release/activities';
import { compactRegistry, type RegistryAnswer } from '../../domain/release/registry-answer';
import { FleetError } from '../../platform/provider';
import { NO_FREEZES, type FreezeCalendar } from '../../domain/freeze/calendar';
import type { ActivityDeps } from '../deps';
import { createNotesActivity } from './notes';
import { temporalReleaseDirectory } from '../release-directory';
import { createReconcileActivity } from './reconcile';
import { createRegressionActivity } from './regression';

/** Activities of the staged release: account registry, version catalogue and freeze calendar look-ups, and reconciling accounts before a rollback. */
export function createReleaseActivities(deps: ActivityDeps): ReleaseActivities {
  const directory = () => deps.releases ?? temporalReleaseDirectory();
  return {
    ...createReconcileActivity(deps),
    ...createNotesActivity(deps),
    ...createRegressionActivity(deps),
    async listReleaseAccounts(input: { releaseId: string }): Promise<RegistryAnswer> {
      try {
        const accounts = await deps.fleet.listAccounts();
        deps.logger.info({ releaseId: input.releaseId, accounts: accounts.length }, 'listed release accounts');
        return compactRegistry(
          accounts.map(({ accountId, earlyAccess, internal, maintenanceWindow }) => ({
            accountId,
            earlyAccess,
            internal,
            ...(maintenanceWindow
              ? {
                  maintenanceWindow: {
                    start: Date.parse(maintenanceWindow.start),
                    end: Date.parse(maintenanceWindow.end),
                  },
                }
              : {}),
          })),
        );
      } catch (error) {
        throw asFailure(error);
      }
    },

    async readFreezeCalendar(input: { releaseId: string }): Promise<FreezeCalendar> {
      try {
        const calendar = deps.freezeCalendar ? await deps.freezeCalendar() : NO_FREEZES;
        deps.logger.info({ releaseId: input.releaseId, freezes: calendar.freezes.length }, 'read freeze calendar');
        return calendar;
      } catch (error) {
        // Retried by time: a calendar file being fixed is worth waiting for, never a reason to fail a release.
        deps.logger.error({ releaseId: input.releaseId, err: error }, 'cannot read the freeze calendar');
        throw ApplicationFailure.retryable((error as Error).message, 'FreezeCalendarUnreadable');
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
