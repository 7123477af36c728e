/**
 * What continue-as-new carries to a release's next run: its status, as plain data, read back
 * through zod. A run started by the earlier code carries the earlier shape (accounts as one
 * record, ISO times, the schedule's marks stored); it is read and converted once, so a release
 * that was running when this code was deployed goes on.
 */
import { z } from 'zod';
import { ReleaseKindSchema } from '../primitives';
import { countAccounts, type AccountStatus } from './accounts';
import { buildTable, type BucketTable } from './bucket-table';
import { RELEASE_STAGES } from './input';
import type { ReleaseStatus } from './status';

const FORMAT = 2;

export interface CarriedRelease {
  format: typeof FORMAT;
  status: ReleaseStatus;
}

export function carry(status: ReleaseStatus): CarriedRelease {
  return { format: FORMAT, status };
}

const Ms = z.number().finite();
const IsoTime = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO time` });
  return ms;
});
const WaveSchema = z.union([z.literal(1), z.literal(2)]);

const AccountSchema = z.object({
  wave: WaveSchema,
  state: z.enum(['pending', 'deploying', 'done']),
  version: z.string().nullable(),
  previous: z.string().nullable().optional(),
  attempted: z.string().optional(),
  outcome: z.enum(['promoted', 'rolled-back', 'failed', 'cancelled', 'reverted', 'not-released']).optional(),
  reason: z.string().optional(),
}) satisfies z.ZodType<AccountStatus>;

/** The fields both shapes share, with their times in the shape's own form. */
function statusFields<T extends z.ZodType<number>>(time: T) {
  return {
    releaseId: z.string(),
    originalVersion: z.string(),
    targetVersion: z.string(),
    kind: ReleaseKindSchema,
    notes: z.array(z.string()),
    stage: z.enum(RELEASE_STAGES),
    day: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    paused: z.boolean(),
    pauseReason: z.string().optional(),
    holdReason: z.string().optional(),
    pendingPatch: z.object({ version: z.string(), reason: z.string(), at: time }).optional(),
    abort: z.object({ reason: z.string(), rollback: z.boolean(), at: time }).optional(),
    halt: z.object({ wave: WaveSchema, reason: z.string() }).optional(),
    lastWaveOneFinishedAt: time.optional(),
    issues: z.array(
      z.object({
        id: z.number().int(),
        source: z.enum(['automated', 'on-call']),
        summary: z.string(),
        accounts: z.array(z.string()).optional(),
        openedAt: time,
        closedAt: time.optional(),
        closedBy: z.string().optional(),
      }),
    ),
    nextIssueId: z.number().int(),
    // A run continues as new only with no swap in flight, so these are empty then; read for completeness.
    stalls: z
      .array(
        z.object({
          accountId: z.string(),
          version: z.string(),
          step: z.string(),
          since: time,
          stalledForMs: z.number().nonnegative(),
          cause: z.string(),
          detail: z.string(),
          reportedAt: time,
        }),
      )
      .default([]),
    faultIssueId: z.number().int().optional(),
    ownStall: z
      .object({ step: z.string(), since: time, cause: z.string(), detail: z.string(), checkedAt: time })
      .optional(),
    runs: z.number().int().positive(),
    startedAt: time,
    finishedAt: time.optional(),
  };
}

const TimelineEntrySchema = <T extends z.ZodType<number>>(time: T) =>
  z.object({ at: time, event: z.string(), detail: z.string().optional() });

const TableSchema = z
  .object({
    keys: z.array(z.string()),
    bucketSize: z.number().int().positive(),
    buckets: z.array(z.array(AccountSchema)),
  })
  .refine(
    (table) =>
      table.buckets.length === Math.ceil(table.keys.length / table.bucketSize) &&
      table.buckets.every(
        (bucket, b) => bucket.length === Math.min(table.bucketSize, table.keys.length - b * table.bucketSize),
      ),
    'every account has one record, in buckets of bucketSize',
  );

const CarriedSchema = z.object({
  format: z.literal(FORMAT),
  status: z.object({
    ...statusFields(Ms),
    schedule: z.object({ startAt: Ms, stageLength: Ms }),
    accounts: z.object({ table: TableSchema }),
    timeline: z.object({ entries: z.array(TimelineEntrySchema(Ms)), dropped: z.number().int() }),
    lastSeq: z.number().int().nonnegative(),
  }),
});

const EarlierCarriedSchema = z.object({
  status: z.object({
    ...statusFields(IsoTime),
    schedule: z.object({ startAt: IsoTime, stageLengthMs: Ms }),
    accounts: z.record(z.string(), AccountSchema),
    timeline: z.array(TimelineEntrySchema(IsoTime)),
    timelineDropped: z.number().int(),
  }),
});

/** The status a new run starts from; throws when the argument is neither shape (a bug to fix, not to retry around). */
export function readCarried(carried: unknown): ReleaseStatus {
  if ((carried as { format?: unknown } | undefined)?.format === FORMAT) {
    const { status } = CarriedSchema.parse(carried);
    const table = status.accounts.table as BucketTable<AccountStatus>;
    return { ...status, accounts: { table, counts: countAccounts(table) } };
  }
  const { status } = EarlierCarriedSchema.parse(carried);
  const { schedule, accounts, timeline, timelineDropped, ...rest } = status;
  const table = buildTable(Object.entries(accounts));
  return {
    ...rest,
    schedule: { startAt: schedule.startAt, stageLength: schedule.stageLengthMs },
    accounts: { table, counts: countAccounts(table) },
    timeline: { entries: timeline, dropped: timelineDropped },
    // Events were not numbered before; the release's numbering starts here.
    lastSeq: 0,
  };
}
