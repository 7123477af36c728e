import { z } from 'zod';
import {
  FleetError,
  type AccountClaim,
  type AccountInfo,
  type AccountState,
  type ClaimHolder,
  type DrainStatus,
  type FeatureAnswer,
  type FeatureRequest,
  type FleetProvider,
  type InstanceInfo,
  type MaintenanceMode,
  type ProbeTarget,
  type ProvisionRequest,
  type VersionInfo,
} from './provider';
import {
  AccountClaimSchema,
  AccountInfoSchema,
  AccountStateSchema,
  DrainStatusSchema,
  VersionInfoSchema,
  ErrorBodySchema,
  FeatureAnswerSchema,
  InstanceInfoSchema,
} from './daemon-schemas';

export interface DaemonClientOptions {
  /** Per-call timeout; probes get more (see probeTimeoutMs). Default 30 s. */
  timeoutMs?: number;
  /** Timeout of one probe request inside the daemon. Default 5 s. */
  probeTimeoutMs?: number;
  /** The fleet's FLEET_TOKEN, sent as `Authorization: Bearer <token>` when set. */
  token?: string;
}

/** Whether a failed call may succeed when retried: 4xx no (except 408, 409, 429); 5xx and no answer yes. */
export function isRetryableStatus(status: number): boolean {
  if (status === 0 || status >= 500) return true;
  return status === 408 || status === 409 || status === 429;
}

/** Builds the FleetError for an HTTP answer that was not 2xx. */
export function fleetErrorFromResponse(method: string, path: string, status: number, bodyText: string): FleetError {
  let detail = bodyText.slice(0, 500) || `status ${status}`;
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) detail = parsed.data.error;
  } catch {
    // not JSON: keep the raw text
  }
  if (status === 401) {
    // A configuration problem, not a fault of the platform: retrying cannot fix it.
    detail = `${detail} (set FLEET_TOKEN to the fleet daemon's token in the worker's environment)`;
  }
  return new FleetError(
    `fleet daemon answered ${status} to ${method} ${path}: ${detail}`,
    status,
    isRetryableStatus(status),
  );
}

const InstancesAnswer = z.object({ instances: z.array(InstanceInfoSchema) });
const ClaimAnswer = AccountClaimSchema.extend({ granted: z.boolean() });
const ReleaseAnswer = AccountClaimSchema.extend({ released: z.boolean() });

/** The FleetProvider of the local fleet daemon, over its control-plane HTTP API. */
export class DaemonFleetProvider implements FleetProvider {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly authorization: Record<string, string>;

  constructor(baseUrl: string, options: DaemonClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
    this.authorization = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  }

  getVersion(version: string): Promise<VersionInfo> {
    return this.call('GET', `/versions/${enc(version)}`, VersionInfoSchema);
  }

  async listVersions(): Promise<VersionInfo[]> {
    return (await this.call('GET', '/versions', z.object({ versions: z.array(VersionInfoSchema) }))).versions;
  }

  async listAccounts(): Promise<AccountInfo[]> {
    return (await this.call('GET', '/accounts', z.object({ accounts: z.array(AccountInfoSchema) }))).accounts;
  }

  getAccount(accountId: string): Promise<AccountInfo> {
    return this.call('GET', `/accounts/${enc(accountId)}`, AccountInfoSchema);
  }

  accountState(accountId: string): Promise<AccountState> {
    return this.call('GET', `/accounts/${enc(accountId)}/state`, AccountStateSchema);
  }

  async provision(request: ProvisionRequest): Promise<InstanceInfo[]> {
    const { accountId, ...body } = request;
    return (await this.call('POST', `/accounts/${enc(accountId)}/instances`, InstancesAnswer, body)).instances;
  }

  async instances(accountId: string, instanceIds?: string[]): Promise<InstanceInfo[]> {
    if (instanceIds && instanceIds.length === 0) return [];
    const query = instanceIds ? `?ids=${instanceIds.map(enc).join(',')}` : '';
    return (await this.call('GET', `/accounts/${enc(accountId)}/instances${query}`, InstancesAnswer)).instances;
  }

  async probe(accountId: string, target: ProbeTarget, requests: FeatureRequest[]): Promise<FeatureAnswer[]> {
    if (requests.length === 0) return [];
    const body = { target, requests, timeoutMs: this.probeTimeoutMs };
    // The daemon sends up to 8 at once; leave room for every round to time out.
    const timeoutMs = this.timeoutMs + Math.ceil(requests.length / 8) * this.probeTimeoutMs;
    const answer = await this.call(
      'POST',
      `/accounts/${enc(accountId)}/probe`,
      z.object({ answers: z.array(FeatureAnswerSchema) }),
      body,
      timeoutMs,
    );
    return answer.answers;
  }

  setPool(accountId: string, instanceIds: string[]): Promise<AccountState> {
    return this.call('PUT', `/accounts/${enc(accountId)}/pool`, AccountStateSchema, { instanceIds });
  }

  async drain(accountId: string, instanceIds: string[], timeoutMs: number): Promise<DrainStatus[]> {
    const answer = await this.call(
      'POST',
      `/accounts/${enc(accountId)}/drain`,
      z.object({ instances: z.array(DrainStatusSchema) }),
      {
        instanceIds,
        timeoutMs,
      },
    );
    return answer.instances;
  }

  async decommission(accountId: string, instanceIds: string[]): Promise<void> {
    await this.call('POST', `/accounts/${enc(accountId)}/decommission`, z.unknown(), { instanceIds });
  }

  setMaintenance(accountId: string, mode: MaintenanceMode): Promise<AccountState> {
    return this.call('PUT', `/accounts/${enc(accountId)}/maintenance`, AccountStateSchema, mode);
  }

  async inventory(): Promise<InstanceInfo[]> {
    return (await this.call('GET', '/inventory', InstancesAnswer)).instances;
  }

  /** A refusal is an answer (409 with the holder), not an error. */
  claimAccount(
    accountId: string,
    holder: ClaimHolder,
    replaces?: ClaimHolder,
  ): Promise<AccountClaim & { granted: boolean }> {
    const body = replaces ? { holder, replaces } : { holder };
    return this.call('PUT', `/accounts/${enc(accountId)}/claim`, ClaimAnswer, body, this.timeoutMs, [409]);
  }

  releaseAccount(accountId: string, holder: ClaimHolder): Promise<AccountClaim & { released: boolean }> {
    return this.call('POST', `/accounts/${enc(accountId)}/claim/release`, ReleaseAnswer, { holder });
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    timeoutMs = this.timeoutMs,
    /** Statuses besides 2xx whose body answers in `schema`. */
    accepted: number[] = [],
  ): Promise<z.output<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.authorization },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : (cause ?? (error as Error).message);
      throw new FleetError(
        `fleet daemon at ${this.baseUrl} could not be reached for ${method} ${path}: ${reason}`,
        0,
        true,
      );
    }
    if (!response.ok && !accepted.includes(response.status))
      throw fleetErrorFromResponse(method, path, response.status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FleetError(
        `fleet daemon answered ${method} ${path} with something that is not JSON`,
        response.status,
        false,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new FleetError(
        `fleet daemon answered ${method} ${path} in an unexpected shape: ${parsed.error.message}`,
        response.status,
        false,
      );
    }
    return parsed.data;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
