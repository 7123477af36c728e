import { z } from 'zod';
import type {
  AccountClaim,
  AccountInfo,
  AccountState,
  ClaimHolder,
  DrainStatus,
  FeatureAnswer,
  FeatureRequest,
  InstanceInfo,
  MaintenanceMode,
  ProbeTarget,
  ProvisionRequest,
} from './model';
import {
  AccountClaimSchema,
  AccountInfoSchema,
  AccountStateSchema,
  DrainStatusSchema,
  ErrorBodySchema,
  FeatureAnswerSchema,
  InstanceInfoSchema,
} from './schemas';

/** A control-plane call that did not answer 2xx (status 0: no answer at all). */
export class FleetApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'FleetApiError';
  }
}

const InstancesAnswer = z.object({ instances: z.array(InstanceInfoSchema) });
const ClaimAnswer = AccountClaimSchema.extend({ granted: z.boolean() });
const ReleaseAnswer = AccountClaimSchema.extend({ released: z.boolean() });

/**
 * A typed client of the daemon's control-plane API, for the package's own commands and tests.
 * Answers are parsed with the package's schemas; it has no retry policy of its own.
 */
export class LocalFleetClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 30_000,
    /** The daemon's FLEET_TOKEN, sent as a bearer token when set. */
    private readonly token?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
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

  async provision(request: ProvisionRequest & { accountId: string }): Promise<InstanceInfo[]> {
    const { accountId, ...body } = request;
    return (await this.call('POST', `/accounts/${enc(accountId)}/instances`, InstancesAnswer, body)).instances;
  }

  async instances(accountId: string, instanceIds?: string[]): Promise<InstanceInfo[]> {
    if (instanceIds && instanceIds.length === 0) return [];
    const query = instanceIds ? `?ids=${instanceIds.map(enc).join(',')}` : '';
    return (await this.call('GET', `/accounts/${enc(accountId)}/instances${query}`, InstancesAnswer)).instances;
  }

  async probe(accountId: string, target: ProbeTarget, requests: FeatureRequest[]): Promise<FeatureAnswer[]> {
    // The daemon sends up to 8 at once, each with 5 s to answer: leave room for every round to time out.
    const timeoutMs = this.timeoutMs + Math.ceil(requests.length / 8) * 5_000;
    const answer = await this.call(
      'POST',
      `/accounts/${enc(accountId)}/probe`,
      z.object({ answers: z.array(FeatureAnswerSchema) }),
      { target, requests },
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
      { instanceIds, timeoutMs },
    );
    return answer.instances;
  }

  async decommission(accountId: string, instanceIds: string[]): Promise<string[]> {
    const answer = await this.call(
      'POST',
      `/accounts/${enc(accountId)}/decommission`,
      z.object({ decommissioned: z.array(z.string()) }),
      { instanceIds },
    );
    return answer.decommissioned;
  }

  setMaintenance(accountId: string, mode: MaintenanceMode): Promise<AccountState> {
    return this.call('PUT', `/accounts/${enc(accountId)}/maintenance`, AccountStateSchema, mode);
  }

  accountClaim(accountId: string): Promise<AccountClaim> {
    return this.call('GET', `/accounts/${enc(accountId)}/claim`, AccountClaimSchema);
  }

  /** Claims the account for `holder` (or takes it over from `replaces`); a refusal (409) answers `granted: false` and the holder. */
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

  async inventory(): Promise<InstanceInfo[]> {
    return (await this.call('GET', '/inventory', InstancesAnswer)).instances;
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    timeoutMs = this.timeoutMs,
    /** Statuses besides 2xx whose body answers in `schema` (a refused claim). */
    accepted: number[] = [],
  ): Promise<z.output<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new FleetApiError(
        `fleet daemon at ${this.baseUrl} could not be reached for ${method} ${path}: ${cause ?? (error as Error).message}`,
        0,
      );
    }
    if (!response.ok && !accepted.includes(response.status)) {
      const parsed = ErrorBodySchema.safeParse(parseJson(text));
      const detail = parsed.success ? parsed.data.error : text.slice(0, 500) || `status ${response.status}`;
      throw new FleetApiError(
        `fleet daemon answered ${response.status} to ${method} ${path}: ${detail}`,
        response.status,
      );
    }
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new FleetApiError(
        `fleet daemon answered ${method} ${path} in an unexpected shape: ${parsed.error.message}`,
        response.status,
      );
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
