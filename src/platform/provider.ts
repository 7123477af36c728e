/**
 * The platform being released, as the activities see it. Small and platform-neutral: the local
 * fleet daemon (packages/local-fleet) is reached through ./daemon-client.ts; a Kubernetes or cloud
 * platform would be a sibling provider here implementing the same calls. Every mutating call is idempotent, so an activity retried after a
 * crash never does the same thing twice.
 */

export interface AccountInfo {
  accountId: string;
  earlyAccess: boolean;
  /** An internal account (the platform's own): gets every release first, in its pre-release validation (wave 0). */
  internal?: boolean;
  /** The `useCase` names this account serves (its use-case configurations). */
  useCases: string[];
  instanceCount: number;
  /** Announced window for major upgrades (ISO times); absent when none is announced. */
  maintenanceWindow?: { start: string; end: string };
  /** While a major upgrade holds it in maintenance: a maintenance page (default), or bypass the engine to its fallback. */
  maintenanceMode?: 'page' | 'bypass';
  /** Where bypass forwards requests. */
  fallbackUrl?: string;
}

/** One entry of the platform's version catalogue: a version the platform can run. */
export interface VersionInfo {
  version: string;
  /** Its release notes: what changed since the version before it in the catalogue. */
  notes?: Array<{ kind: 'feature' | 'fix' | 'security' | 'breaking'; text: string }>;
  /** The release train takes only `stable` versions. */
  channel: VersionChannel;
  /** When the version was published (ISO time). */
  publishedAt: string;
}

export type VersionChannel = 'candidate' | 'stable';

export type InstanceState = 'starting' | 'ready' | 'failed' | 'draining' | 'stopped';

export interface InstanceInfo {
  instanceId: string;
  accountId: string;
  version: string;
  state: InstanceState;
  ready: boolean;
  inPool: boolean;
  inFlight: number;
  /** Why the instance failed, when state is 'failed'. */
  error?: string;
  /** The `requestId` of the provision that started it: which swap it belongs to. */
  requestId?: string;
}

export interface AccountState {
  accountId: string;
  /** Version of the instances in the request pool; null when the pool is empty. */
  version: string | null;
  pool: InstanceInfo[];
  maintenance: MaintenanceMode;
  /** Where clients send requests for this account. */
  routerUrl: string;
}

export type MaintenanceMode = { enabled: false } | { enabled: true; forwardTo?: string };

export interface ProvisionRequest {
  accountId: string;
  version: string;
  count: number;
  /** Caller-chosen key: the same request id always answers the same instances. */
  requestId: string;
}

export interface FeatureRequest {
  useCase: string;
  entity: string;
}

export interface FeatureAnswer {
  request: FeatureRequest;
  ok: boolean;
  status: number;
  latencyMs: number;
  /** The feature values served; absent when the request failed. */
  values?: Record<string, number>;
  error?: string;
  /** Which instance answered, and at which version (when it answered). */
  instanceId?: string;
  version?: string;
}

/** Where probe requests go: straight to given instances (validation) or through the router. */
export type ProbeTarget = { instanceIds: string[] } | { router: true };

export interface DrainStatus {
  instanceId: string;
  state: InstanceState;
  inFlight: number;
}

/** A swap holding an account: its workflow id and the first run of its chain (stable across retries, resets and continue-as-new). */
export interface ClaimHolder {
  workflowId: string;
  runId: string;
}

/** Who may change an account now: at most one swap at a time. */
export interface AccountClaim {
  accountId: string;
  holder: ClaimHolder | null;
  /** When the holder claimed it (ISO). */
  since?: string;
}

export interface FleetProvider {
  /** The catalogue entry of a version; a non-retryable FleetError (404) when the platform does not know it. */
  getVersion(version: string): Promise<VersionInfo>;
  /** The whole version catalogue. */
  listVersions(): Promise<VersionInfo[]>;
  listAccounts(): Promise<AccountInfo[]>;
  getAccount(accountId: string): Promise<AccountInfo>;
  accountState(accountId: string): Promise<AccountState>;
  provision(request: ProvisionRequest): Promise<InstanceInfo[]>;
  instances(accountId: string, instanceIds?: string[]): Promise<InstanceInfo[]>;
  /** Sends each request once to the target, spreading over the given instances round-robin. */
  probe(accountId: string, target: ProbeTarget, requests: FeatureRequest[]): Promise<FeatureAnswer[]>;
  /** Makes exactly these instances the account's request pool, in one atomic switch. */
  setPool(accountId: string, instanceIds: string[]): Promise<AccountState>;
  /** Takes instances out of the pool and stops each once its in-flight requests finish or the timeout passes. Returns at once; poll `instances`. */
  drain(accountId: string, instanceIds: string[], timeoutMs: number): Promise<DrainStatus[]>;
  /** Stops and forgets instances at once (no drain). Unknown ids are ignored. */
  decommission(accountId: string, instanceIds: string[]): Promise<void>;
  setMaintenance(accountId: string, mode: MaintenanceMode): Promise<AccountState>;
  /** Every instance the platform runs, for leak checks. */
  inventory(): Promise<InstanceInfo[]>;
  /**
   * Compare-and-set: the account is claimed for `holder` when it is free, already held by `holder`
   * (idempotent), or held by `replaces` (a takeover from a holder that has ended). Otherwise
   * `granted: false` and the current holder.
   */
  claimAccount(
    accountId: string,
    holder: ClaimHolder,
    replaces?: ClaimHolder,
  ): Promise<AccountClaim & { granted: boolean }>;
  /** Frees the account when `holder` holds it; otherwise changes nothing (idempotent). */
  releaseAccount(accountId: string, holder: ClaimHolder): Promise<AccountClaim & { released: boolean }>;
}

/** Thrown by providers; `retryable: false` for outcomes that retrying cannot change (unknown account or version, bad input). */
export class FleetError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'FleetError';
  }
}
