/**
 * The `accounts` query: per-account records, a page at a time, filtered by wave, state, outcome
 * or account ids. A page holds at most `pageSize` accounts and at most PAGE_MAX_BYTES of JSON;
 * `nextPageToken` (opaque) asks for the next page with the same filter, and is absent on the
 * last page. Accounts come in the release's plan order, which never changes within a release.
 */
import { z } from 'zod';
import { describeIssues, IdSchema } from '../primitives';
import type { AccountOutcome, AccountState } from './accounts';
import { lookup, tableSize } from './bucket-table';
import { utf8Length } from './overview';
import { stallReason } from './stalls';
import type { ReleaseStatus } from './status';
import { iso } from './timeline';
import type { AccountStatusView } from './view';
import type { Wave } from './waves';

export const PAGE_SIZE = { default: 100, max: 1000 };
/** A page's JSON stays under this, whatever the ids and reasons (Temporal warns at 512 KB). */
export const PAGE_MAX_BYTES = 256 * 1024;

const STATES = ['pending', 'deploying', 'done'] as const satisfies readonly AccountState[];
const OUTCOMES = [
  'promoted',
  'rolled-back',
  'failed',
  'cancelled',
  'reverted',
  'not-released',
] as const satisfies readonly AccountOutcome[];

export const AccountsRequestSchema = z
  .object({
    wave: z.literal([0, 1, 2], { error: 'give 0, 1 or 2' }).optional(),
    state: z.enum(STATES).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    /** Only these accounts (ids the release does not have are left out). */
    accountIds: z.array(IdSchema).max(PAGE_SIZE.max).optional(),
    pageSize: z.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
    pageToken: z
      .string()
      .regex(/^p[0-9]{1,6}$/, 'give the nextPageToken of the previous page, or none for the first page')
      .optional(),
  })
  .strict()
  .prefault({});

/** What a client sends (every field optional). */
export type AccountsRequest = z.input<typeof AccountsRequestSchema>;
type ParsedRequest = z.output<typeof AccountsRequestSchema>;

/** One account in a page: its id and what the release knows of it. */
export type AccountEntry = { accountId: string } & AccountStatusView;

export interface AccountsPage {
  accounts: AccountEntry[];
  /** Ask with this for the next page; absent on the last one. */
  nextPageToken?: string;
  /** Accounts in the release (matching or not). */
  total: number;
}

/** A request the query refuses, in words that say what to fix. */
export class AccountsRequestRefused extends Error {
  override name = 'AccountsRequestRefused';
}

export function parseAccountsRequest(request: unknown): ParsedRequest {
  const parsed = AccountsRequestSchema.safeParse(request ?? {});
  if (!parsed.success) throw new AccountsRequestRefused(`accounts: ${describeIssues(parsed.error, 'request')}`);
  return parsed.data;
}

export function accountsPage(status: ReleaseStatus, request: ParsedRequest): AccountsPage {
  const table = status.accounts.table;
  const total = tableSize(table);
  const keys = request.accountIds ?? table.keys;
  const start = request.pageToken === undefined ? 0 : Number(request.pageToken.slice(1));
  if (start > keys.length)
    throw new AccountsRequestRefused(
      'accounts: pageToken: not a token of this query (past the last account); start again without one',
    );
  const stalls = new Map(status.stalls.map((stall) => [stall.accountId, stall]));
  const accounts: AccountEntry[] = [];
  let bytes = 64;
  let position = start;
  for (; position < keys.length && accounts.length < request.pageSize; position++) {
    const accountId = keys[position];
    const account = lookup(table, accountId);
    if (!account || !matches(account, request)) continue;
    const stall = stalls.get(accountId);
    const entry: AccountEntry = stall
      ? { accountId, ...account, stalled: { step: stall.step, since: iso(stall.since), reason: stallReason(stall) } }
      : { accountId, ...account };
    const size = utf8Length(JSON.stringify(entry)) + 1;
    if (bytes + size > PAGE_MAX_BYTES && accounts.length > 0) break;
    bytes += size;
    accounts.push(entry);
  }
  return position < keys.length ? { accounts, nextPageToken: `p${position}`, total } : { accounts, total };
}

function matches(
  account: { wave: Wave; state: AccountState; outcome?: AccountOutcome },
  request: ParsedRequest,
): boolean {
  return (
    (request.wave === undefined || account.wave === request.wave) &&
    (request.state === undefined || account.state === request.state) &&
    (request.outcome === undefined || account.outcome === request.outcome)
  );
}
