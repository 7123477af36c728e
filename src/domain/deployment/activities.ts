/**
 * The activities of one account's blue-green swap, as the workflow sees them. Pure types: the
 * workflow proxies them by this interface, src/activities/deployment implements it.
 */
import type { CheckReport, SwapRef } from './swap';

/** Every activity input carries these, so activity logs say which release, account and version. */
export interface SwapContext {
  accountId: string;
  version: string;
  releaseId?: string;
}

/** The account as the swap sees it before touching anything. */
export interface AccountSnapshot {
  accountId: string;
  useCases: string[];
  instanceCount: number;
  maintenanceWindow?: { start: string; end: string };
  /** Version in the request pool (blue), null when the pool is empty. */
  version: string | null;
  /** Instance ids in the request pool (blue). */
  pool: string[];
  /** Whether the account is in maintenance mode now. */
  maintenance: boolean;
  /**
   * Whether the platform's version catalogue has the swap's version. Absent in results recorded
   * before the swap asked (histories of running swaps), which count as known.
   */
  versionKnown?: boolean;
}

export interface ValidationInput extends SwapContext {
  instanceIds: string[];
  useCases: string[];
}

export interface CanaryInput extends SwapContext {
  greenIds: string[];
  blueIds: string[];
  useCases: string[];
  sampleSize: number;
  mismatchThreshold: number;
  minAnsweredFraction: number;
  /** Seeds the sample, so a retried canary asks the same questions. */
  seed: string;
}

export interface WatchInput extends SwapContext {
  useCases: string[];
  durationMs: number;
  probesPerSecond: number;
  maxErrorRate: number;
  maxP99Ms: number;
  seed: string;
  /** Progress of an earlier call whose time budget ran out (its last heartbeat details): the watch goes on from there. */
  resume?: unknown;
}

/**
 * While a waiting activity cannot see the fleet (the control plane does not answer, or the router
 * cannot be reached at all), that time does not count toward its own duration. Carried in its
 * heartbeat details, so the workflow can say why a step stalled.
 */
export interface Blindness {
  /** Epoch ms (the activity's clock). */
  since: number;
  /** "fleet unreachable", "router unreachable" */
  cause: string;
  /** The last error. */
  detail: string;
}

/** What a passed watch returns; a breach is a `WatchBreached` failure carrying the report and when it became certain. */
export interface WatchOutcome {
  report: CheckReport;
}

export interface DrainResult {
  stopped: string[];
  /** Instances still running when the drain gave up. */
  leftRunning: string[];
}

export interface ClaimInput extends SwapContext {
  /** This swap: its workflow id and the first run of its chain. */
  holder: SwapRef;
  /** How long to wait for a live holder to let go before answering `granted: false`; 0 asks once. */
  waitMs: number;
}

/** A claim held by a swap that has ended (terminated, timed out) is taken over; one held by a running swap is waited for. */
export type ClaimOutcome =
  { granted: true; tookOverFrom?: SwapRef } | { granted: false; heldBy: SwapRef; since?: string };

export interface DeploymentActivities {
  /** One swap per account at a time: claims the account for this swap (see ClaimOutcome). */
  claimAccount(input: ClaimInput): Promise<ClaimOutcome>;
  /** Lets go of the account (only if this swap holds it). */
  releaseAccount(input: SwapContext & { holder: SwapRef }): Promise<{ released: boolean }>;
  /** Reads the account (blue, use cases, window) and whether the platform knows the version; changes nothing. */
  describeAccount(input: SwapContext): Promise<AccountSnapshot>;
  provisionGreen(input: SwapContext & { count: number; requestId: string }): Promise<string[]>;
  /** `resume`: progress of an earlier call whose time budget ran out (see WatchInput.resume). */
  awaitGreenReady(
    input: SwapContext & { instanceIds: string[]; timeoutMs: number; resume?: unknown },
  ): Promise<CheckReport>;
  runSmokeChecks(input: ValidationInput & { requestsPerUseCase: number }): Promise<CheckReport>;
  checkUseCaseReadiness(input: ValidationInput): Promise<CheckReport>;
  runCanary(input: CanaryInput): Promise<CheckReport>;
  setMaintenanceMode(input: SwapContext & { enabled: boolean }): Promise<void>;
  runDataMigration(
    input: SwapContext & { fromVersion: string | null },
  ): Promise<{ migratedAt: string; summary: string }>;
  promoteGreen(input: SwapContext & { instanceIds: string[] }): Promise<{ switchedAt: string }>;
  watchGreen(input: WatchInput): Promise<WatchOutcome>;
  routeBackToBlue(input: SwapContext & { blueIds: string[] }): Promise<{ trafficOnBlueAt: string }>;
  /**
   * Stops green at once: the given ids plus any instance provisioned under the swap's request id
   * (what a provision whose answer was lost started). Never another swap's instances.
   */
  decommissionGreen(input: SwapContext & { instanceIds: string[]; requestId?: string }): Promise<{ removed: string[] }>;
  drainInstances(
    input: SwapContext & { instanceIds: string[]; timeoutMs: number; resume?: unknown },
  ): Promise<DrainResult>;
  decommissionInstances(input: SwapContext & { instanceIds: string[] }): Promise<void>;
}
