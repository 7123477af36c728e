/**
 * The compensations the runbook registers, one per step that changes the fleet. Each gets what it
 * needs when it runs: why the swap rolls back, and the instances as the status knows them then.
 */
import type { SwapContext } from '../../domain/deployment/activities';
import type { RollbackCause } from '../../domain/deployment/rollback';
import { trafficBackOnBlue } from '../../domain/deployment/transitions';
import { call, RETRY } from './activity-calls';
import type { SwapRecord } from './record';

type Undo = (cause: RollbackCause) => Promise<void>;

/** Stops green at once: the instances the status knows, and any other this swap's provision request started. */
export function decommissionGreen(record: SwapRecord, ctx: SwapContext, requestId: string): Undo {
  return async () => {
    await call(
      'decommissionGreen',
      `decommission green (${ctx.version})`,
      { retry: { ...RETRY, maximumAttempts: 10 } },
      { ...ctx, instanceIds: [...record.status.green], requestId },
    );
  };
}

/** Blue becomes the request pool again; records when, and how long after the breach that triggered it. */
export function routeBackToBlue(record: SwapRecord, ctx: SwapContext): Undo {
  return async ({ trigger, breachDetectedAt }) => {
    const { trafficOnBlueAt } = await call(
      'routeBackToBlue',
      'route traffic back to blue',
      { retry: { ...RETRY, initialInterval: '200ms', maximumAttempts: 10 } },
      { ...ctx, blueIds: [...record.status.blue] },
    );
    record.apply(trafficBackOnBlue, {
      trigger,
      ...(breachDetectedAt !== undefined ? { detectedAt: breachDetectedAt } : {}),
      trafficOnBlueAt: Date.parse(trafficOnBlueAt),
    });
  };
}

export function maintenanceOff(ctx: SwapContext): Undo {
  return () =>
    call(
      'setMaintenanceMode',
      'maintenance mode off (rollback)',
      { retry: { ...RETRY, maximumAttempts: 10 } },
      { ...ctx, enabled: false },
    );
}
