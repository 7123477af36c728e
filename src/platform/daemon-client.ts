import http from 'node:http';
import https from 'node:https';
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
const VersionsAnswer = z.object({ versions: z.array(VersionInfoSchema) });
const AccountsAnswer = z.object({ accounts: z.array(AccountInfoSchema) });
const ProbeAnswer = z.object({ answers: z.array(FeatureAnswerSchema) });
const DrainAnswer = z.object({ instances: z.array(DrainStatusSchema) });
const AnyAnswer = z.unknown();
const ClaimAnswer = AccountClaimSchema.extend({ granted: z.boolean() });
const ReleaseAnswer = AccountClaimSchema.extend({ released: z.boolean() });

/** The FleetProvider of the local fleet daemon, over its control-plane HTTP API. */
export class DaemonFleetProvider implements FleetProvider {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly authorization: Record<string, string>;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;

  constructor(baseUrl: string, options: DaemonClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
    this.authorization = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    const secure = new URL(this.baseUrl).protocol === 'https:';
    this.transport = secure ? https : http;
    // Idle connections are unref'd by the agent: they never keep a process alive.
    const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64 };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  getVersion(version: string): Promise<VersionInfo> {
    return this.call('GET', `/versions/${enc(version)}`, VersionInfoSchema);
  }

  async listVersions(): Promise<VersionInfo[]> {
    return (await this.call('GET', '/versions', VersionsAnswer)).versions;
  }

  async listAccounts(): Promise<AccountInfo[]> {
    return (await this.call('GET', '/accounts', AccountsAnswer)).accounts;
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
    const answer = await this.call('POST', `/accounts/${enc(accountId)}/probe`, ProbeAnswer, body, timeoutMs);
    return answer.answers;
  }

  setPool(accountId: string, instanceIds: string[]): Promise<AccountState> {
    return this.call('PUT', `/accounts/${enc(accountId)}/pool`, AccountStateSchema, { instanceIds });
  }

  async drain(accountId: string, instanceIds: string[], timeoutMs: number): Promise<DrainStatus[]> {
    const answer = await this.call('POST', `/accounts/${enc(accountId)}/drain`, DrainAnswer, {
      instanceIds,
      timeoutMs,
    });
    return answer.instances;
  }

  async decommission(accountId: string, instanceIds: string[]): Promise<void> {
    await this.call('POST', `/accounts/${enc(accountId)}/decommission`, AnyAnswer, { instanceIds });
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
    let answer: HttpAnswer;
    try {
      answer = await this.send(method, path, body === undefined ? undefined : JSON.stringify(body), timeoutMs);
    } catch (error) {
      throw new FleetError(
        `fleet daemon at ${this.baseUrl} could not be reached for ${method} ${path}: ${unreachableReason(error)}`,
        0,
        true,
      );
    }
    const { status, text } = answer;
    if ((status < 200 || status > 299) && !accepted.includes(status))
      throw fleetErrorFromResponse(method, path, status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FleetError(`fleet daemon answered ${method} ${path} with something that is not JSON`, status, false);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new FleetError(
        `fleet daemon answered ${method} ${path} in an unexpected shape: ${parsed.error.message}`,
        status,
        false,
      );
    }
    return parsed.data;
  }

  /**
   * One request over a kept-alive connection. A connection the daemon closed while it sat idle
   * fails before any answer; that request is sent once more on a new connection (every call is
   * idempotent). node:http rather than fetch: a swap makes some twenty calls, and fetch spent
   * about four times the CPU per call on the worker's busiest thread.
   */
  private send(method: string, path: string, payload: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
    const deadline = Date.now() + timeoutMs;
    const attempt = (mayResend: boolean): Promise<HttpAnswer> =>
      new Promise<HttpAnswer>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...this.authorization };
        if (payload !== undefined) {
          headers['content-type'] = 'application/json';
          headers['content-length'] = Buffer.byteLength(payload);
        }
        const request = this.transport.request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent });
        const timer = setTimeout(
          () => request.destroy(new RequestTimeout(timeoutMs)),
          Math.max(1, deadline - Date.now()),
        );
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          response.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        });
        request.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          if (mayResend && request.reusedSocket && error.code === 'ECONNRESET') resolve(attempt(false));
          else reject(error);
        });
        request.end(payload);
      });
    return attempt(true);
  }
}

interface HttpAnswer {
  status: number;
  text: string;
}

class RequestTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

function unreachableReason(error: unknown): string {
  if (error instanceof RequestTimeout) return error.message;
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
