import { ApplicationFailure } from '@temporalio/common';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import { FleetError, type AccountInfo, type FleetProvider, type MaintenanceMode } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { activityLogger, fleetCall, heartbeating, toFailure } from './support';

type AccountActivities = Pick<DeploymentActivities, 'describeAccount' | 'setMaintenanceMode' | 'runDataMigration'>;

export function createAccountActivities({ fleet, logger }: ActivityDeps): AccountActivities {
  return {
    async describeAccount(input) {
      const log = activityLogger(logger, input);
      return heartbeating(async () => {
        const account = await fleetCall(
          `account ${input.accountId}`,
          () => fleet.getAccount(input.accountId),
          DEPLOYMENT_FAILURES.accountNotFound,
        );
        const state = await fleetCall(
          `state of account ${input.accountId}`,
          () => fleet.accountState(input.accountId),
          DEPLOYMENT_FAILURES.accountNotFound,
        );
        const versionKnown = await inCatalogue(fleet, input.version);
        log.info({ blueVersion: state.version, pool: state.pool.length, versionKnown }, 'account described');
        return {
          accountId: account.accountId,
          useCases: account.useCases,
          instanceCount: account.instanceCount,
          ...(account.maintenanceWindow ? { maintenanceWindow: account.maintenanceWindow } : {}),
          version: state.version,
          maintenance: state.maintenance.enabled,
          pool: state.pool.map((instance) => instance.instanceId),
          versionKnown,
        };
      });
    },

    async setMaintenanceMode(input) {
      const log = activityLogger(logger, input);
      // The account's own choice: a maintenance page, or bypass the engine to its fallback.
      const mode = input.enabled
        ? maintenanceModeOf(await fleetCall('read the maintenance mode', () => fleet.getAccount(input.accountId)))
        : ({ enabled: false } as const);
      await heartbeating(() =>
        fleetCall(`maintenance mode ${input.enabled ? 'on' : 'off'}`, () =>
          fleet.setMaintenance(input.accountId, mode),
        ),
      );
      log.info({ maintenance: mode }, `maintenance mode ${input.enabled ? 'on' : 'off'}`);
    },

    /**
     * The data migration of a major upgrade. The local fleet keeps no customer data, so this step
     * is simulated: it checks the account is in maintenance mode (a migration must never run
     * under live traffic) and records what a real migration would do. A real platform plugs its
     * migration runner in here.
     */
    async runDataMigration(input) {
      const log = activityLogger(logger, input);
      return heartbeating(async () => {
        const state = await fleetCall('account state', () => fleet.accountState(input.accountId));
        if (!state.maintenance.enabled) {
          throw ApplicationFailure.nonRetryable(
            `refusing to migrate data of ${input.accountId}: the account is not in maintenance mode`,
            DEPLOYMENT_FAILURES.maintenanceRequired,
          );
        }
        const summary = `migrated data of ${input.accountId} from ${input.fromVersion ?? 'nothing'} to ${input.version} (simulated: the local fleet keeps no data)`;
        log.info({ fromVersion: input.fromVersion }, summary);
        return { migratedAt: new Date().toISOString(), summary };
      });
    },
  };
}

/** Whether the platform's catalogue has the version: a 404 says no; other errors are retried or refused as usual. */
async function inCatalogue(fleet: FleetProvider, version: string): Promise<boolean> {
  try {
    await fleet.getVersion(version);
    return true;
  } catch (error) {
    if (error instanceof FleetError && error.status === 404) return false;
    throw toFailure(error, `version ${version} in the catalogue`);
  }
}

/** What maintenance mode means for this account: its fallback when it chose bypass (and has one), else the page. */
export function maintenanceModeOf(account: AccountInfo): MaintenanceMode {
  return account.maintenanceMode === 'bypass' && account.fallbackUrl
    ? { enabled: true, forwardTo: account.fallbackUrl }
    : { enabled: true };
}
