/**
 * The compensations the runbook registers, one per step that changes the fleet. Each gets what it
 * needs when it runs: why the swap rolls back, and the instances as the status knows them then.
 * They run non-cancellable and retry infrastructure faults until they get through (a blocked one
 * shows as stalled); one fails only when the undo is impossible (blue is gone, green serves).
 */
import type { SwapContext } from '../../domain/deployment/activities';
import type { RollbackCause } from '../../domain/deployment/rollback';
import { trafficBackOnBlue } from '../../domain/deployment/transitions';
import type { SwapCalls } from './activity-calls';
import type { SwapRecord } from './record';

type Undo = (cause: RollbackCause) => Promise<void>;

/** Stops green at once: the instances the status knows, and any other this swap's provision request started. */
export function decommissionGreen(record: SwapRecord, calls: SwapCalls, ctx: SwapContext, requestId: string): Undo {
  return async () => {
    await calls.run('decommissionGreen', `decommission green (${ctx.version})`, {
      ...ctx,
      instanceIds: [...record.status.green],
      requestId,
    });
  };
}

/** Blue becomes the request pool again; records when, and how long after the breach that triggered it. */
export function routeBackToBlue(record: SwapRecord, calls: SwapCalls, ctx: SwapContext): Undo {
  return async ({ trigger, breachDetectedAt }) => {
    const { trafficOnBlueAt } = await calls.run('routeBackToBlue', 'route traffic back to blue', {
      ...ctx,
      blueIds: [...record.status.blue],
    });
    record.apply(trafficBackOnBlue, {
      trigger,
      ...(breachDetectedAt !== undefined ? { detectedAt: breachDetectedAt } : {}),
      trafficOnBlueAt: Date.parse(trafficOnBlueAt),
    });
  };
}

export function maintenanceOff(calls: SwapCalls, ctx: SwapContext): Undo {
  return async () => {
    await calls.run('setMaintenanceMode', 'maintenance mode off (rollback)', { ...ctx, enabled: false }, 0, true);
  };
}
