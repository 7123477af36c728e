/**
 * What a transition of the swap's status produced. The workflow derives its logs, the
 * `DeploymentOutcome` search attribute and the current details from these; times are epoch ms.
 */
import type { Decision, RollbackRecord, Stall, StepName } from './status';
import type {
  CheckReport,
  DeploymentOutcome,
  DeploymentOutcomeAttribute,
  DeploymentStep,
  SwapMode,
  SwapRef,
} from './swap';

/** Something the swap waits for without changing its status. */
export type SwapWait =
  | { for: 'release'; before: DeploymentStep }
  | { for: 'maintenance-window'; start: string; end: string }
  /** Another swap holds the account. */
  | { for: 'account'; heldBy: SwapRef };

export type SwapEvent =
  | { type: 'started'; accountId: string; version: string; releaseId?: string; mode: SwapMode }
  /** The swap holds its account now; `tookOverFrom` names a holder that had ended without releasing it. */
  | { type: 'account-claimed'; tookOverFrom?: SwapRef }
  | { type: 'step-started'; step: StepName; at: number }
  | { type: 'step-finished'; step: StepName; startedAt: number; durationMs: number }
  | { type: 'account-read'; fromVersion: string | null; blue: readonly string[] }
  | { type: 'green-provisioned'; green: readonly string[] }
  | { type: 'check-reported'; report: CheckReport }
  | { type: 'approval-requested'; why: string; timeoutMs: number }
  | { type: 'decision-recorded'; decision: Decision }
  /** The wait for on-call ended: with the decision that ended it, or without one (deadline passed). */
  | { type: 'approval-closed'; decision?: Decision }
  | { type: 'held'; reason?: string }
  | { type: 'released'; reason?: string }
  | { type: 'waiting'; wait: SwapWait }
  | { type: 'stopped'; failedStep: DeploymentStep; reason: string; compensations: readonly string[] }
  | { type: 'traffic-on-blue'; rollback: RollbackRecord }
  /** A step's time budget ran out on an infrastructure fault (again, when not `first`); it is retried. */
  | { type: 'stalled'; stall: Stall; first: boolean }
  /** The stalled step got through. */
  | { type: 'recovered'; step: StepName; activity: string; since: number; stalledForMs: number }
  | { type: 'blue-drained'; stopped: readonly string[]; leftRunning: readonly string[] }
  | { type: 'drain-failed'; reason: string; leftBehind: readonly string[] }
  | {
      type: 'finished';
      outcome: DeploymentOutcome | 'cancelled';
      reason: string;
      /** The value of the `DeploymentOutcome` search attribute from now on. */
      attribute: DeploymentOutcomeAttribute;
      /** The rollback could not repair everything (see the reason and leftBehind). */
      incomplete: boolean;
    };
