import { z } from 'zod';
import { IdSchema, ReleaseKindSchema, VersionSchema, type ReleaseKind } from '../primitives';
import { StrategySchema } from '../strategy';

/**
 * `upgrade`: the whole runbook. `revert`: back to the version the account ran before a bad one
 * (an abort with rollback): readiness and smoke checks, no canary against the bad version, no
 * approval wait, and for a major release no window, maintenance mode or migration.
 */
export const SwapModeSchema = z.enum(['upgrade', 'revert']);
export type SwapMode = z.infer<typeof SwapModeSchema>;

/** Input of one account's blue-green swap (workflow type `blueGreenDeployment`). */
export const BlueGreenInputSchema = z
  .object({
    accountId: IdSchema,
    version: VersionSchema,
    kind: ReleaseKindSchema.default('minor'),
    mode: SwapModeSchema.default('upgrade'),
    /** Set when the swap runs as part of a release; used in ids, logs and search attributes. */
    releaseId: IdSchema.optional(),
    strategy: StrategySchema.prefault({}),
  })
  .strict();
export type BlueGreenInput = z.input<typeof BlueGreenInputSchema>;
export type BlueGreenParams = z.output<typeof BlueGreenInputSchema>;

export const DEPLOYMENT_STEPS = [
  /** Read the account (blue, use cases, window) and check the swap can start; changes nothing. */
  'preflight',
  'provision',
  'initialization',
  'core-functionality',
  'use-case-readiness',
  'canary',
  'approval',
  'maintenance',
  'migration',
  'promote',
  'watch',
  'keep-warm',
  'drain',
] as const;
export type DeploymentStep = (typeof DEPLOYMENT_STEPS)[number];

export type Verdict = 'passed' | 'failed' | 'inconclusive';

export interface CheckReport {
  check: 'initialization' | 'core-functionality' | 'use-case-readiness' | 'canary' | 'watch';
  verdict: Verdict;
  summary: string;
  /** Figures behind the verdict: counts, rates, the entities and use cases that differed. */
  evidence: Record<string, unknown>;
}

export type DeploymentOutcome = 'promoted' | 'rolled-back' | 'failed';

export interface StepTiming {
  step: DeploymentStep | 'rollback';
  startedAt: string;
  durationMs: number;
}

/** What `blueGreenDeployment` returns. Business outcomes are results, never workflow failures. */
export interface DeploymentResult {
  accountId: string;
  /** `revert` when the swap put the account back on its previous version. */
  mode: SwapMode;
  fromVersion: string | null;
  toVersion: string;
  outcome: DeploymentOutcome;
  failedStep?: DeploymentStep;
  reason?: string;
  checks: CheckReport[];
  steps: StepTiming[];
  /**
   * Instance ids left running that should not be: what a failed rollback could not clean up
   * (outcome 'failed'), or blue instances a promoted swap could not stop (outcome 'promoted',
   * traffic on green). Empty otherwise.
   */
  leftBehind: string[];
  /** Set when traffic went back to blue after promotion: when the breach was detected and when blue had the pool again. */
  rollback?: RollbackTiming;
  /** Instances of each side, for the record. */
  instances?: { blue: string[]; green: string[] };
}

export interface RollbackTiming {
  /** Why traffic went back to blue. */
  trigger: string;
  /** When the failing check detected the breach (ISO, the watch activity's clock); absent for cancel/reject. */
  detectedAt?: string;
  /** When the pool was back on blue (ISO, the rollback activity's clock). */
  trafficOnBlueAt: string;
  /** trafficOnBlueAt − detectedAt, when both are known. */
  rollbackMs?: number;
}

/** Where the swap stands; the `status` query answers this. */
export interface DeploymentStatus {
  accountId: string;
  version: string;
  kind: ReleaseKind;
  mode: SwapMode;
  releaseId?: string;
  fromVersion: string | null;
  /** Current step ('starting' before the account is read, 'rollback' while compensating, 'done' at the end). */
  step: DeploymentStep | 'starting' | 'rollback' | 'done';
  /** Held by the parent release (no promotion until released). */
  held: boolean;
  /** Waiting for an on-call `approve` or `reject`. */
  awaitingApproval: boolean;
  /** Waiting for the account: the swap that holds it (one swap per account at a time). */
  accountHeldBy?: SwapRef;
  /** Checks reported so far, with their evidence. */
  checks: CheckReport[];
  steps: StepTiming[];
  instances: { blue: string[]; green: string[] };
  outcome?: DeploymentOutcome | 'cancelled';
  reason?: string;
  decision?: { decision: 'approve' | 'reject'; reason?: string; by?: string };
  /**
   * Set while the current step cannot make progress because of an infrastructure fault (the fleet
   * not answering, a lost worker): it is retried, never taken for a verdict.
   */
  stalled?: {
    step: DeploymentStep | 'rollback';
    activity: string;
    /** ISO time. */
    since: string;
    /** How long, as of the last time budget that ran out. */
    stalledForMs: number;
    /** "fleet unreachable for 2m10s, retrying: <last error>" */
    reason: string;
  };
}

/**
 * Failure types the deployment activities throw and the workflow branches on: every one is
 * non-retryable (evidence or a refusal), except `fleetUnavailable`, an infrastructure fault that
 * is retried by time and never becomes a verdict.
 */
export const DEPLOYMENT_FAILURES = {
  fleetUnavailable: 'FleetUnavailable',
  invalidInput: 'InvalidInput',
  accountNotFound: 'AccountNotFound',
  versionNotFound: 'VersionNotFound',
  validationFailed: 'ValidationFailed',
  watchBreached: 'WatchBreached',
  blueMissing: 'BlueMissing',
  maintenanceRequired: 'MaintenanceRequired',
  fleetRejected: 'FleetRejected',
} as const;

/** A swap, as an account's claim names it: its workflow id and the first run of its chain. */
export interface SwapRef {
  workflowId: string;
  runId: string;
}

/** Values of the `DeploymentOutcome` search attribute; a revert's carry the prefix `revert-`. */
export type DeploymentOutcomeAttribute =
  'in-progress' | DeploymentOutcome | 'cancelled' | `revert-${'in-progress' | DeploymentOutcome | 'cancelled'}`;

/** The `DeploymentOutcome` value of a swap in this mode: `promoted`, or `revert-promoted` for a revert. */
export function outcomeAttribute(
  mode: SwapMode,
  value: 'in-progress' | DeploymentOutcome | 'cancelled',
): DeploymentOutcomeAttribute {
  return mode === 'revert' ? `revert-${value}` : value;
}

/** Messages accepted by `blueGreenDeployment`. `hold`/`release` are sent by the parent release on pause/resume. */
export const DEPLOYMENT_MESSAGES = {
  approve: 'approve',
  reject: 'reject',
  hold: 'hold',
  release: 'release',
  status: 'status',
} as const;
export const ApprovalSchema = z
  .object({ reason: z.string().max(500).optional(), by: z.string().max(100).optional() })
  .strict();
export type Approval = z.infer<typeof ApprovalSchema>;
/** An accepted approve/reject read by its update handler: the shape only (the validator applied the rules; see README "Changing a workflow safely"). */
export const ApprovalShape = z.object({ reason: z.string().optional(), by: z.string().optional() });
/** `hold` / `release` from the parent release (its reason says why: "release paused: …"). */
export const HoldRequestSchema = z.object({ reason: z.string().max(1000).optional() }).strict();
export type HoldRequest = z.infer<typeof HoldRequestSchema>;

export function deploymentWorkflowId(accountId: string, version: string, releaseId?: string): string {
  return releaseId ? `release-${releaseId}/${accountId}/${version}` : `deploy-${accountId}/${version}`;
}
