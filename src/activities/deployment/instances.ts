import { activityInfo, sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import type { InstanceInfo } from '../../platform/provider';
import { provisionRequestId } from '../../domain/deployment/ownership';
import type { ActivityDeps } from '../deps';
import { BLIND_RETRY_MS, resumedFrom, unlessUnreachable } from './observation';
import { activityLogger, fleetCall, heartbeating } from './support';

type InstanceActivities = Pick<
  DeploymentActivities,
  | 'provisionGreen'
  | 'promoteGreen'
  | 'routeBackToBlue'
  | 'decommissionGreen'
  | 'drainInstances'
  | 'decommissionInstances'
>;

const POLL_MS = 250;
/** How long past the drain timeout the activity keeps polling for the fleet to stop the instances. */
export const DRAIN_GRACE_MS = 15_000;

/** What the drain carries from one attempt (or call) to the next. */
const DrainProgressSchema = z.object({ startedAt: z.number(), requested: z.boolean().default(true) });

export function createInstanceActivities({ fleet, logger }: ActivityDeps): InstanceActivities {
  return {
    /** Idempotent: the fleet answers the same instances for the same request id, so a retry or replay creates nothing new. */
    async provisionGreen(input) {
      const log = activityLogger(logger, input);
      const instances = await heartbeating(() =>
        fleetCall(
          `provision ${input.count} instance(s) of ${input.version}`,
          () =>
            fleet.provision({
              accountId: input.accountId,
              version: input.version,
              count: input.count,
              requestId: input.requestId,
            }),
          DEPLOYMENT_FAILURES.versionNotFound,
        ),
      );
      const ids = instances.map((instance) => instance.instanceId);
      log.info({ green: ids, requestId: input.requestId }, 'green provisioned');
      return ids;
    },

    async promoteGreen(input) {
      const log = activityLogger(logger, input);
      await heartbeating(() =>
        fleetCall('switch the pool to green', () => fleet.setPool(input.accountId, input.instanceIds)),
      );
      const switchedAt = new Date().toISOString();
      log.info({ pool: input.instanceIds }, 'green promoted: the request pool is now green');
      return { switchedAt };
    },

    async routeBackToBlue(input) {
      const log = activityLogger(logger, input);
      return heartbeating(async () => {
        const found = await fleetCall('look up blue', () => fleet.instances(input.accountId, input.blueIds));
        const usable = new Set(
          found.filter((i) => i.state === 'ready' || (i.state === 'draining' && i.inPool)).map((i) => i.instanceId),
        );
        const missing = input.blueIds.filter((id) => !usable.has(id));
        if (missing.length > 0) {
          const states = found.map((i) => `${i.instanceId}=${i.state}`).join(', ') || 'none found';
          throw ApplicationFailure.nonRetryable(
            `cannot route traffic back to blue: instance(s) ${missing.join(', ')} are gone or not ready (${states})`,
            DEPLOYMENT_FAILURES.blueMissing,
            { missing },
          );
        }
        await fleetCall(
          'switch the pool back to blue',
          () => fleet.setPool(input.accountId, input.blueIds),
          DEPLOYMENT_FAILURES.blueMissing,
        );
        const trafficOnBlueAt = new Date().toISOString();
        log.warn({ pool: input.blueIds }, 'traffic routed back to blue');
        return { trafficOnBlueAt };
      });
    },

    /**
     * Removes green: the given ids and any other instance provisioned under the swap's request id
     * (one a provision whose answer was lost may have started). Another swap's instances, even of
     * the same version, are never touched. Refuses to stop an instance that serves traffic. Checks
     * that nothing of green is left.
     */
    async decommissionGreen(input) {
      const log = activityLogger(logger, input);
      const requestId = input.requestId ?? requestIdOfThisSwap();
      return heartbeating(async () => {
        const all = await fleetCall('list instances', () => fleet.instances(input.accountId));
        const given = new Set(input.instanceIds);
        const targets = all.filter(
          (i) =>
            i.state !== 'stopped' &&
            (given.has(i.instanceId) || (requestId !== undefined && i.requestId === requestId)),
        );
        const serving = targets.filter((i) => i.inPool);
        if (serving.length > 0) {
          throw ApplicationFailure.nonRetryable(
            `refusing to stop green instance(s) ${serving.map((i) => i.instanceId).join(', ')}: they serve the account's traffic`,
            'GreenServing',
          );
        }
        const ids = targets.map((i) => i.instanceId);
        if (ids.length > 0) await fleetCall('decommission green', () => fleet.decommission(input.accountId, ids));
        const after = await fleetCall('list instances', () => fleet.instances(input.accountId));
        const remaining = after.filter((i) => i.state !== 'stopped' && ids.includes(i.instanceId));
        if (remaining.length > 0)
          throw ApplicationFailure.retryable(
            `green instance(s) still running: ${remaining.map((i) => i.instanceId).join(', ')}`,
            'GreenStillRunning',
          );
        log.info({ removed: ids }, 'green decommissioned');
        return { removed: ids };
      });
    },

    /**
     * Drains (the fleet stops each instance once its in-flight requests finish, or at the
     * timeout) and waits until they have stopped. A fleet that does not answer is waited for:
     * instances are reported left running only when the fleet was seen to still run them.
     */
    async drainInstances(input) {
      const log = activityLogger(logger, input);
      const resumed = resumedFrom(DrainProgressSchema, activityInfo().heartbeatDetails, input.resume);
      const startedAt = resumed?.startedAt ?? Date.now();
      let requested = resumed?.requested ?? false;
      let last: InstanceInfo[] = [];
      let unreachable: { since: number; detail: string } | undefined;
      const blind = (detail: string) => (unreachable = { since: unreachable?.since ?? Date.now(), detail });
      const progress = () => ({
        startedAt,
        requested,
        states: last.map((i) => `${i.instanceId}=${i.state}/${i.inFlight}`),
        ...(unreachable ? { blind: { ...unreachable, cause: 'fleet unreachable' } } : {}),
      });
      return heartbeating(async () => {
        const deadline = startedAt + input.timeoutMs + DRAIN_GRACE_MS;
        for (;;) {
          if (!requested) {
            const asked = await unlessUnreachable('drain', () =>
              fleet.drain(input.accountId, input.instanceIds, input.timeoutMs),
            );
            if ('value' in asked) {
              requested = true;
              log.info({ instances: input.instanceIds, timeoutMs: input.timeoutMs }, 'draining');
            } else blind(asked.unreachable);
          }
          if (requested) {
            const polled = await unlessUnreachable('poll drained instances', () =>
              fleet.instances(input.accountId, input.instanceIds),
            );
            if ('value' in polled) {
              unreachable = undefined;
              last = polled.value;
              const running = last.filter((i) => i.state !== 'stopped').map((i) => i.instanceId);
              const stopped = input.instanceIds.filter((id) => !running.includes(id));
              if (running.length === 0 || Date.now() > deadline) {
                if (running.length > 0) log.error({ running }, 'instances still running after the drain timeout');
                else log.info({ stopped }, 'drained and stopped');
                return { stopped, leftRunning: running };
              }
            } else blind(polled.unreachable);
          }
          await sleep(unreachable ? BLIND_RETRY_MS : POLL_MS); // rejects when the activity is cancelled
        }
      }, progress);
    },

    async decommissionInstances(input) {
      const log = activityLogger(logger, input);
      await heartbeating(() => fleetCall('decommission', () => fleet.decommission(input.accountId, input.instanceIds)));
      log.info({ instances: input.instanceIds }, 'decommissioned');
    },
  };
}

/**
 * The request id of a swap that did not pass it (a history recorded before it did): the calling
 * workflow's own, as its first run computed it.
 */
function requestIdOfThisSwap(): string | undefined {
  const execution = activityInfo().workflowExecution;
  return execution ? provisionRequestId(execution.workflowId, execution.runId) : undefined;
}
