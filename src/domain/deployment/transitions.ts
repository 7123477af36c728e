/**
 * Every change of the swap's status: a pure function of the status, an input and the time
 * (epoch ms), returning the new status (the old one is never changed) and the events it produced.
 */
import type { ReleaseKind } from '../primitives';
import type { SwapEvent, SwapWait } from './events';
import { failedStepOf, rollbackTrigger, type SwapFailure } from './rollback';
import type { Decision, StepName, SwapStatus } from './status';
import {
  outcomeAttribute,
  type CheckReport,
  type DeploymentOutcome,
  type DeploymentStep,
  type SwapMode,
  type SwapRef,
} from './swap';

export interface Transitioned {
  status: SwapStatus;
  events: SwapEvent[];
}

export type Transition<I> = (status: SwapStatus, input: I, now: number) => Transitioned;

/** How the swap ends. */
export interface Ending {
  outcome: DeploymentOutcome | 'cancelled';
  reason: string;
  failedStep?: DeploymentStep;
  /** The rollback could not repair everything. */
  incomplete?: boolean;
  /** Replaces the instances left behind (a rollback that could not remove green). */
  leftBehind?: readonly string[];
}

const unchanged = (status: SwapStatus): Transitioned => ({ status, events: [] });

export function startSwap(
  swap: { accountId: string; version: string; kind: ReleaseKind; mode: SwapMode; releaseId?: string },
  _now: number,
): Transitioned {
  const { accountId, version, kind, mode, releaseId } = swap;
  return {
    status: {
      accountId,
      version,
      kind,
      mode,
      ...(releaseId ? { releaseId } : {}),
      fromVersion: null,
      phase: 'starting',
      held: false,
      awaitingApproval: false,
      checks: [],
      steps: [],
      blue: [],
      green: [],
      leftBehind: [],
    },
    events: [{ type: 'started', accountId, version, ...(releaseId ? { releaseId } : {}), mode }],
  };
}

const sameSwap = (a: SwapRef | undefined, b: SwapRef) => a?.workflowId === b.workflowId && a.runId === b.runId;

/** Another swap holds the account: this one waits (and says for whom) until it is free. */
export const accountBusy: Transition<{ heldBy: SwapRef }> = (status, { heldBy }) =>
  sameSwap(status.accountHeldBy, heldBy)
    ? unchanged(status)
    : {
        status: { ...status, accountHeldBy: { ...heldBy } },
        events: [{ type: 'waiting', wait: { for: 'account', heldBy: { ...heldBy } } }],
      };

/** The swap holds its account: from now on no other swap changes it until this one ends. */
export const accountClaimed: Transition<{ tookOverFrom?: SwapRef }> = (status, { tookOverFrom }) => ({
  status: { ...status, accountHeldBy: undefined },
  events: [{ type: 'account-claimed', ...(tookOverFrom ? { tookOverFrom: { ...tookOverFrom } } : {}) }],
});

export const stepStarted: Transition<{ step: StepName }> = (status, { step }, now) => ({
  status: { ...status, phase: step, phaseStartedAt: now },
  events: [{ type: 'step-started', step, at: now }],
});

export const stepFinished: Transition<{ step: StepName }> = (status, { step }, now) => {
  const startedAt = status.phaseStartedAt ?? now;
  const durationMs = now - startedAt;
  return {
    status: { ...status, steps: [...status.steps, { step, startedAt, durationMs }] },
    events: [{ type: 'step-finished', step, startedAt, durationMs }],
  };
};

export const accountRead: Transition<{ fromVersion: string | null; blue: readonly string[] }> = (
  status,
  { fromVersion, blue },
) => ({
  status: { ...status, fromVersion, blue: [...blue] },
  events: [{ type: 'account-read', fromVersion, blue: [...blue] }],
});

export const greenProvisioned: Transition<{ green: readonly string[] }> = (status, { green }) => ({
  status: { ...status, green: [...green] },
  events: [{ type: 'green-provisioned', green: [...green] }],
});

export const checkReported: Transition<{ report: CheckReport }> = (status, { report }) => ({
  status: { ...status, checks: [...status.checks, report] },
  events: [{ type: 'check-reported', report }],
});

export const approvalRequested: Transition<{ why: string; timeoutMs: number }> = (status, { why, timeoutMs }) => ({
  status: { ...status, awaitingApproval: true },
  events: [{ type: 'approval-requested', why, timeoutMs }],
});

/** Why on-call cannot decide now, or undefined when the swap waits for exactly this. */
export function decisionRefusal(status: SwapStatus, decision: Decision['decision']): string | undefined {
  if (status.awaitingApproval && !status.decision) return undefined;
  return `nothing to ${decision}: the swap of ${status.accountId} is at step "${status.phase}" and is not waiting for a decision`;
}

/** Records the first decision while the swap waits for one; anything else changes nothing. */
export const decisionRecorded: Transition<Decision> = (status, decision) => {
  if (decisionRefusal(status, decision.decision)) return unchanged(status);
  return { status: { ...status, decision }, events: [{ type: 'decision-recorded', decision }] };
};

/** The wait for on-call is over: decided (the recorded decision counts) or not (the deadline passed). */
export const approvalClosed: Transition<{ decided: boolean }> = (status, { decided }) => {
  const decision = decided ? status.decision : undefined;
  return {
    status: { ...status, awaitingApproval: false },
    events: [{ type: 'approval-closed', ...(decision ? { decision } : {}) }],
  };
};

/** Who decided, and why: "alice: blue is known flaky". */
export function describeDecider(decision: Decision): string {
  return `${decision.by ?? 'on-call'}${decision.reason ? `: ${decision.reason}` : ''}`;
}

export const held: Transition<{ reason?: string }> = (status, { reason }) =>
  status.held
    ? unchanged(status)
    : { status: { ...status, held: true }, events: [{ type: 'held', ...(reason ? { reason } : {}) }] };

export const released: Transition<{ reason?: string }> = (status, { reason }) =>
  status.held
    ? { status: { ...status, held: false }, events: [{ type: 'released', ...(reason ? { reason } : {}) }] }
    : unchanged(status);

/** The swap starts waiting (for a release, for the maintenance window): the status stays as it is. */
export const waitStarted: Transition<SwapWait> = (status, wait) => ({ status, events: [{ type: 'waiting', wait }] });

/** The swap stopped (failure, stop or cancellation): the reason is what triggers the rollback. */
export const stopped: Transition<{ failure: SwapFailure; compensations: readonly string[] }> = (
  status,
  { failure, compensations },
) => {
  const reason = rollbackTrigger(failure);
  const failedStep = failedStepOf(failure, status.phase);
  const report = failure.kind === 'error' ? failure.report : undefined;
  return {
    status: { ...status, reason, failedStep, checks: report ? [...status.checks, report] : status.checks },
    events: [
      ...(report ? [{ type: 'check-reported', report } as const] : []),
      { type: 'stopped', failedStep, reason, compensations: [...compensations] },
    ],
  };
};

export const trafficBackOnBlue: Transition<{ trigger: string; detectedAt?: number; trafficOnBlueAt: number }> = (
  status,
  rollback,
) => ({
  status: { ...status, rollback },
  events: [{ type: 'traffic-on-blue', rollback }],
});

export const blueDrained: Transition<{ stopped: readonly string[]; leftRunning: readonly string[] }> = (
  status,
  { stopped, leftRunning },
) => ({
  status: { ...status, leftBehind: [...leftRunning] },
  events: [{ type: 'blue-drained', stopped: [...stopped], leftRunning: [...leftRunning] }],
});

/** Draining failed after promotion: green serves, every blue instance counts as left behind. */
export const drainFailed: Transition<{ reason: string }> = (status, { reason }) => ({
  status: { ...status, leftBehind: [...status.blue] },
  events: [{ type: 'drain-failed', reason, leftBehind: [...status.blue] }],
});

/** Why a promoted swap is done: the version, or the blue instances that did not stop. */
export function promotedReason(status: SwapStatus): string {
  return status.leftBehind.length
    ? `promoted; blue instance(s) ${status.leftBehind.join(', ')} did not stop`
    : `promoted ${status.version}`;
}

export const finished: Transition<Ending> = (status, ending) => {
  const { outcome, reason, failedStep, leftBehind } = ending;
  const incomplete = ending.incomplete ?? false;
  return {
    status: {
      ...status,
      phase: 'done',
      outcome,
      reason,
      ...(failedStep ? { failedStep } : {}),
      ...(leftBehind ? { leftBehind: [...leftBehind] } : {}),
    },
    events: [
      {
        type: 'finished',
        outcome,
        reason,
        // A cancelled swap whose rollback could not repair is findable as failed.
        attribute: outcomeAttribute(status.mode, outcome === 'cancelled' && incomplete ? 'failed' : outcome),
        incomplete,
      },
    ],
  };
};
