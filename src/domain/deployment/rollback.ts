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
 * The outcome and reason of a stopped swap, given what the compensations did. A rollback that
 * could not repair fails the swap (a cancelled one stays cancelled) and leaves green behind.
 */
export function decideRollback(
  failure: SwapFailure,
  phase: SwapPhase,
  undone: UndoReport,
  green: readonly string[],
): RollbackDecision {
  const failedStep = failedStepOf(failure, phase);
  const trigger = rollbackTrigger(failure);
  if (!undone.failed) return { outcome: outcomeIfRepaired(failure), reason: trigger, failedStep, incomplete: false };
  const notDone = undone.skipped.length ? `, not done: ${undone.skipped.join(', ')}` : '';
  const left = green.join(', ') || 'nothing known';
  return {
    outcome: failure.kind === 'cancelled' ? 'cancelled' : 'failed',
    reason: `${trigger}; ROLLBACK INCOMPLETE: "${undone.failed.name}" failed (${undone.failed.reason})${notDone}; left behind: ${left}`,
    failedStep,
    incomplete: true,
    leftBehind: green,
  };
}
