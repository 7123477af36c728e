/**
 * How a swap that stopped ends: what triggered the rollback, which step failed, and the outcome
 * and reason once the compensations ran. Pure: the workflow classifies the error into a
 * SwapFailure and reports what the compensations did.
 */
import type { SwapPhase } from './status';
import type { CheckReport, DeploymentOutcome, DeploymentStep } from './swap';

/** A business outcome that ends the swap early (nothing to retry). */
export interface Stop {
  outcome: DeploymentOutcome;
  step: DeploymentStep;
  reason: string;
}

export type SwapFailure =
  /** The workflow was cancelled (for example the release aborted). */
  | { kind: 'cancelled' }
  | ({ kind: 'stopped' } & Stop)
  /** The swap could not start at all (unknown account or version): nothing was tried. */
  | { kind: 'precondition'; reason: string }
  /** Something tried failed: a check, the watch, an activity that ran out of retries. */
  | { kind: 'error'; reason: string; report?: CheckReport; breachDetectedAt?: number };

/** What a compensation is told when it runs. */
export interface RollbackCause {
  /** Why the swap rolls back. */
  trigger: string;
  /** When the watch detected the breach that triggered it (epoch ms), if it was one. */
  breachDetectedAt?: number;
}

/** What the compensations did: the one that failed (the later ones were not attempted), if any. */
export interface UndoReport {
  failed?: { name: string; reason: string };
  skipped: readonly string[];
}

export interface RollbackDecision {
  outcome: DeploymentOutcome | 'cancelled';
  reason: string;
  failedStep: DeploymentStep;
  /** The rollback could not repair: green may still run (and serve). */
  incomplete: boolean;
  /** Set when incomplete: the instances the rollback could not remove. */
  leftBehind?: readonly string[];
}

export const CANCELLED_REASON = 'cancelled while the swap was in progress';

/** The compensations the runbook registers, by name (logged, shown, and named in an incomplete rollback). */
export const UNDO = {
  decommissionGreen: 'decommission green',
  routeBackToBlue: 'route traffic back to blue',
  maintenanceOff: 'maintenance mode off',
} as const;

/** The account as the rollback left it: what an incomplete rollback's reason tells on-call. */
export interface RollbackScene {
  accountId: string;
  /** The version the swap went to (green). */
  version: string;
  /** The version blue runs, when known. */
  fromVersion: string | null;
  blue: readonly string[];
  green: readonly string[];
}

export function rollbackTrigger(failure: SwapFailure): string {
  return failure.kind === 'cancelled' ? CANCELLED_REASON : failure.reason;
}

export function rollbackCause(failure: SwapFailure): RollbackCause {
  const trigger = rollbackTrigger(failure);
  return failure.kind === 'error' && failure.breachDetectedAt !== undefined
    ? { trigger, breachDetectedAt: failure.breachDetectedAt }
    : { trigger };
}

/** The step a stop names, else the step the swap was in (before the first step or after the last: preflight). */
export function failedStepOf(failure: SwapFailure, phase: SwapPhase): DeploymentStep {
  if (failure.kind === 'stopped') return failure.step;
  return phase === 'starting' || phase === 'rollback' || phase === 'done' ? 'preflight' : phase;
}

function outcomeIfRepaired(failure: SwapFailure): RollbackDecision['outcome'] {
  switch (failure.kind) {
    case 'cancelled':
      return 'cancelled';
    case 'stopped':
      return failure.outcome;
    case 'precondition':
      return 'failed';
    case 'error':
      return 'rolled-back';
  }
}

/**
 * The outcome and reason of a stopped swap, given what the compensations did. Compensations retry
 * infrastructure faults until they succeed, so one fails only when the undo is impossible (blue is
 * gone, green serves): the swap fails (a cancelled one stays cancelled), green is left behind,
 * and the reason says what serves, what is left and how on-call repairs it.
 */
export function decideRollback(
  failure: SwapFailure,
  phase: SwapPhase,
  undone: UndoReport,
  scene: RollbackScene,
): RollbackDecision {
  const failedStep = failedStepOf(failure, phase);
  const trigger = rollbackTrigger(failure);
  if (!undone.failed) return { outcome: outcomeIfRepaired(failure), reason: trigger, failedStep, incomplete: false };
  const notDone = undone.skipped.length ? `, not done: ${undone.skipped.join(', ')}` : '';
  const left = scene.green.join(', ') || 'nothing known';
  return {
    outcome: failure.kind === 'cancelled' ? 'cancelled' : 'failed',
    reason: `${trigger}; ROLLBACK INCOMPLETE: "${undone.failed.name}" failed (${undone.failed.reason})${notDone}; left behind: ${left}. On-call: ${repairAdvice(undone.failed.name, scene)}`,
    failedStep,
    incomplete: true,
    leftBehind: scene.green,
  };
}

/** What serves, what is left, and the fleet API calls that repair it, for the compensation that could not run. */
export function repairAdvice(failedUndo: string, scene: RollbackScene): string {
  const account = `/accounts/${scene.accountId}`;
  const ids = (list: readonly string[]) => list.map((id) => `"${id}"`).join(',');
  const green = scene.green.join(', ') || 'none known';
  const stopGreen = `POST ${account}/decommission {"instanceIds":[${ids(scene.green)}]}`;
  switch (failedUndo) {
    case UNDO.routeBackToBlue: {
      const previous = scene.fromVersion ?? 'the previous version';
      return (
        `traffic is still on green ${scene.version} (${green}) and blue (${scene.blue.join(', ') || 'none known'}) cannot take it back. ` +
        `Either keep ${scene.version} serving, or start ${previous} again (POST ${account}/instances {"version":"${previous}","count":${Math.max(1, scene.blue.length)},"requestId":"repair-${scene.accountId}"}), ` +
        `wait until GET ${account}/instances shows it ready, switch the pool to it (PUT ${account}/pool {"instanceIds":[…]}), then stop green (${stopGreen})`
      );
    }
    case UNDO.decommissionGreen:
      return `traffic is on blue; green (${green}) still runs outside the pool: stop it (${stopGreen}) once GET ${account}/state shows it out of the pool`;
    case UNDO.maintenanceOff:
      return `the account is still in maintenance mode: turn it off (PUT ${account}/maintenance {"enabled":false})`;
    default:
      return `check the account (GET ${account}/state, GET ${account}/instances) and finish "${failedUndo}" by hand`;
  }
}
