import { ApplicationFailure } from '@temporalio/activity';
import { isProvisionOf } from '../../domain/deployment/ownership';
import type { ReleaseActivities } from '../../domain/release/activities';
import { FleetError } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { heartbeating } from '../deployment/support';
import { temporalSwapDirectory } from '../swap-directory';

/**
 * Reads what an account serves now, and removes what its ended swap left outside the pool: the
 * instances its provision requests started, and the green and blue its status names (warm blue of
 * a swap terminated after promotion). Instances in the pool, draining, or of another swap are
 * never touched. A swap that runs again (reset) is left alone.
 */
export function createReconcileActivity({
  fleet,
  logger,
  swaps = temporalSwapDirectory(),
}: ActivityDeps): Pick<ReleaseActivities, 'reconcileAccount'> {
  return {
    async reconcileAccount(input) {
      const log = logger.child({ releaseId: input.releaseId, accountId: input.accountId, version: input.version });
      try {
        return await heartbeating(async () => {
          const swap = await swaps.lookUp(input.swapWorkflowId);
          const state = await fleet.accountState(input.accountId);
          if (swap?.running) return { serving: state.version, swapRunning: true, removed: [] };
          const named = new Set([...(swap?.status?.instances.green ?? []), ...(swap?.status?.instances.blue ?? [])]);
          const leftovers = (await fleet.instances(input.accountId))
            .filter((i) => !i.inPool && (i.state === 'ready' || i.state === 'starting' || i.state === 'failed'))
            .filter((i) => isProvisionOf(i.requestId, input.swapWorkflowId) || named.has(i.instanceId))
            .map((i) => i.instanceId);
          if (leftovers.length > 0) await fleet.decommission(input.accountId, leftovers);
          log.warn({ serving: state.version, removed: leftovers }, 'account reconciled with the fleet');
          return {
            serving: state.version,
            ...(swap?.status ? { swapFrom: swap.status.fromVersion } : {}),
            swapRunning: false,
            removed: leftovers,
          };
        });
      } catch (error) {
        if (error instanceof FleetError && !error.retryable)
          throw ApplicationFailure.nonRetryable(error.message, 'FleetError');
        throw error;
      }
    },
  };
}
