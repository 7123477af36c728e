/**
 * The activities of one account's blue-green swap, as the workflow sees them. Pure types: the
 * workflow proxies them by this interface, src/activities/deployment implements it.
 */
import type { CheckReport } from './swap';

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

export interface DeploymentActivities {
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
  /** Stops green at once: the given ids plus any instance of the target version outside the pool. */
  decommissionGreen(input: SwapContext & { instanceIds: string[] }): Promise<{ removed: string[] }>;
  drainInstances(
    input: SwapContext & { instanceIds: string[]; timeoutMs: number; resume?: unknown },
  ): Promise<DrainResult>;
  decommissionInstances(input: SwapContext & { instanceIds: string[] }): Promise<void>;
}
