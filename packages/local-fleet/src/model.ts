/**
 * What the fleet's control plane talks about: accounts, instances, request pools, maintenance mode
 * and feature requests. The API answers these shapes; the orchestrator's provider reads them.
 */

export interface AccountInfo {
  accountId: string;
  earlyAccess: boolean;
  /** An internal account: gets every release first, in its pre-release validation (wave 0). */
  internal?: boolean;
  /** The `useCase` names this account serves (its use-case configurations). */
  useCases: string[];
  instanceCount: number;
  /** Announced window for major upgrades (ISO times); absent when none is announced. */
  maintenanceWindow?: { start: string; end: string };
  /** While a major upgrade holds it in maintenance: a maintenance page (default) or its fallback (bypass). */
  maintenanceMode?: 'page' | 'bypass';
  /** Where bypass forwards requests. */
  fallbackUrl?: string;
}

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
  /** The `requestId` of the provision that started it: who it belongs to. */
  requestId?: string;
}

/** The API's view of an instance: InstanceInfo plus where it runs. */
export interface InstanceView extends InstanceInfo {
  url?: string;
  pid?: number;
  lineage: string;
  fault?: string;
  createdAt: string;
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

/** Who holds an account's claim: a swap, named by its workflow id and the first run of its chain. */
export interface ClaimHolder {
  workflowId: string;
  runId: string;
}

/** An account's claim: at most one swap at a time changes the account. */
export interface AccountClaim {
  accountId: string;
  holder: ClaimHolder | null;
  /** When the holder claimed it (ISO); absent when free. */
  since?: string;
}

/** Where probe requests go: straight to given instances or through the router. */
export type ProbeTarget = { instanceIds: string[] } | { router: true };

export interface DrainStatus {
  instanceId: string;
  state: InstanceState;
  inFlight: number;
}

export function toInstanceInfo(view: InstanceView): InstanceInfo {
  const info: InstanceInfo = {
    instanceId: view.instanceId,
    accountId: view.accountId,
    version: view.version,
    state: view.state,
    ready: view.ready,
    inPool: view.inPool,
    inFlight: view.inFlight,
  };
  if (view.error !== undefined) info.error = view.error;
  if (view.requestId !== undefined) info.requestId = view.requestId;
  return info;
}
