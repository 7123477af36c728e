/**
 * The `plan` query's request and answer: the waves whole, the accounts a page at a time (a plan of
 * 20,000 accounts would not fit one answer), filtered by wave or account.
 */
import { z } from 'zod';
import { describeIssues, IdSchema } from '../primitives';
import type { ReleasePlan } from './preview';

export const PLAN_PAGE_SIZE = { default: 100, max: 1000 };

export const PlanRequestSchema = z
  .object({
    wave: z.literal([0, 1, 2], { error: 'give 0, 1 or 2' }).optional(),
    accountId: IdSchema.optional(),
    pageSize: z.number().int().min(1).max(PLAN_PAGE_SIZE.max).default(PLAN_PAGE_SIZE.default),
    pageToken: z
      .string()
      .regex(/^p[0-9]{1,6}$/, 'give the nextPageToken of the previous answer, or none for the first page')
      .optional(),
  })
  .strict()
  .prefault({});
export type PlanRequest = z.input<typeof PlanRequestSchema>;

export interface PlanPage extends ReleasePlan {
  /** Accounts matching the request (all of them, across pages). */
  accountsMatching: number;
  /** Ask with this for the next page of accounts; absent on the last one. */
  nextPageToken?: string;
}

/** A request the query refuses, in words that say what to fix. */
export class PlanRequestRefused extends Error {
  override name = 'PlanRequestRefused';
}

export function parsePlanRequest(request: unknown): z.output<typeof PlanRequestSchema> {
  const parsed = PlanRequestSchema.safeParse(request ?? {});
  if (!parsed.success) throw new PlanRequestRefused(`plan: ${describeIssues(parsed.error, 'request')}`);
  return parsed.data;
}

export function planPage(plan: ReleasePlan, request: z.output<typeof PlanRequestSchema>): PlanPage {
  const matching = plan.accounts.filter(
    (account) =>
      (request.wave === undefined || account.wave === request.wave) &&
      (request.accountId === undefined || account.accountId === request.accountId),
  );
  const from = request.pageToken ? Number(request.pageToken.slice(1)) : 0;
  const to = from + request.pageSize;
  return {
    ...plan,
    accounts: matching.slice(from, to),
    accountsMatching: matching.length,
    ...(to < matching.length ? { nextPageToken: `p${to}` } : {}),
  };
}
