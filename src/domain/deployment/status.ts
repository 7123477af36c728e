/**
 * The swap's status as the workflow holds it: immutable, times in epoch milliseconds. It changes
 * only through the transitions (./transitions); the `status` query answer and the result are
 * projections of it with ISO times (the public shapes in ./swap).
 */
import { formatElapsed, type ReleaseKind } from '../primitives';
import type {
  CheckReport,
  DeploymentOutcome,
  DeploymentResult,
  DeploymentStatus,
  DeploymentStep,
  RollbackTiming,
  StepTiming,
  SwapMode,
  SwapRef,
} from './swap';

/** Where the swap is: a step, or 'starting' before the account is read, 'rollback' while compensating, 'done'. */
export type SwapPhase = DeploymentStatus['step'];
/** What a step timing names: a step of the runbook or the rollback. */
export type StepName = StepTiming['step'];

export interface StepRecord {
  readonly step: StepName;
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface Decision {
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
  readonly by?: string;
}

/** Traffic went back to blue after promotion: when the breach was detected (if one was) and when blue had the pool. */
export interface RollbackRecord {
  readonly trigger: string;
  readonly detectedAt?: number;
  readonly trafficOnBlueAt: number;
}

/**
 * A step that cannot make progress: its activity kept failing on an infrastructure fault (the
 * fleet not answering, a lost worker) for its whole time budget. It is retried, never judged.
 */
export interface Stall {
  readonly step: StepName;
  readonly activity: string;
  /** Since when the step could not make progress (epoch ms). */
  readonly since: number;
  /** What is wrong, in words: "fleet unreachable", "worker lost". */
  readonly cause: string;
  /** The last error seen. */
  readonly detail: string;
  /** When the stall was last confirmed: the end of the latest time budget that ran out. */
  readonly checkedAt: number;
}

/** "fleet unreachable for 2m10s, retrying: <last error>" (as of the stall's last check). */
export function describeStall(stall: Stall): string {
  return `${stall.cause} for ${formatElapsed(stall.checkedAt - stall.since)}, retrying: ${stall.detail}`;
}

export interface SwapStatus {
  readonly accountId: string;
  readonly version: string;
  readonly kind: ReleaseKind;
  readonly mode: SwapMode;
  readonly releaseId?: string;
  readonly fromVersion: string | null;
  readonly phase: SwapPhase;
  /** When the current (or last) step started; steps never nest. */
  readonly phaseStartedAt?: number;
  readonly held: boolean;
  readonly awaitingApproval: boolean;
  /** The swap holding the account while this one waits for it. */
  readonly accountHeldBy?: SwapRef;
  readonly checks: readonly CheckReport[];
  readonly steps: readonly StepRecord[];
  readonly blue: readonly string[];
  readonly green: readonly string[];
  readonly decision?: Decision;
  readonly outcome?: DeploymentOutcome | 'cancelled';
  readonly reason?: string;
  readonly failedStep?: DeploymentStep;
  /** Instances left running that should not be (see DeploymentResult.leftBehind). */
  readonly leftBehind: readonly string[];
  readonly rollback?: RollbackRecord;
  /** Set while the current step cannot make progress (see Stall). */
  readonly stall?: Stall;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function stepTimings(status: SwapStatus): StepTiming[] {
  return status.steps.map(({ step, startedAt, durationMs }) => ({ step, startedAt: iso(startedAt), durationMs }));
}

function instancesOf(status: SwapStatus): { blue: string[]; green: string[] } {
  return { blue: [...status.blue], green: [...status.green] };
}

/** The answer of the `status` query. */
export function statusView(status: SwapStatus): DeploymentStatus {
  return {
    accountId: status.accountId,
    version: status.version,
    kind: status.kind,
    mode: status.mode,
    ...(status.releaseId ? { releaseId: status.releaseId } : {}),
    fromVersion: status.fromVersion,
    step: status.phase,
    held: status.held,
    awaitingApproval: status.awaitingApproval,
    ...(status.accountHeldBy ? { accountHeldBy: { ...status.accountHeldBy } } : {}),
    checks: [...status.checks],
    steps: stepTimings(status),
    instances: instancesOf(status),
    ...(status.outcome ? { outcome: status.outcome } : {}),
    ...(status.reason !== undefined ? { reason: status.reason } : {}),
    ...(status.decision ? { decision: { ...status.decision } } : {}),
    ...(status.stall ? { stalled: stallView(status.stall) } : {}),
  };
}

function stallView(stall: Stall): NonNullable<DeploymentStatus['stalled']> {
  return {
    step: stall.step,
    activity: stall.activity,
    since: iso(stall.since),
    stalledForMs: stall.checkedAt - stall.since,
    reason: describeStall(stall),
  };
}

function rollbackTiming(rollback: RollbackRecord): RollbackTiming {
  const { trigger, detectedAt, trafficOnBlueAt } = rollback;
  return {
    trigger,
    ...(detectedAt !== undefined ? { detectedAt: iso(detectedAt), rollbackMs: trafficOnBlueAt - detectedAt } : {}),
    trafficOnBlueAt: iso(trafficOnBlueAt),
  };
}

/** What the workflow returns once the swap finished with a business outcome (a cancelled swap returns nothing). */
export function resultOf(status: SwapStatus): DeploymentResult {
  const { outcome } = status;
  if (outcome === undefined || outcome === 'cancelled')
    throw new Error(`the swap of ${status.accountId} has no result: its outcome is ${outcome ?? 'not decided yet'}`);
  return {
    accountId: status.accountId,
    mode: status.mode,
    fromVersion: status.fromVersion,
    toVersion: status.version,
    outcome,
    ...(status.failedStep && outcome !== 'promoted' ? { failedStep: status.failedStep } : {}),
    reason: status.reason ?? '',
    checks: [...status.checks],
    steps: stepTimings(status),
    leftBehind: [...status.leftBehind],
    ...(status.rollback ? { rollback: rollbackTiming(status.rollback) } : {}),
    instances: instancesOf(status),
  };
}
