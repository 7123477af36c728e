/**
 * What continue-as-new carries to a release's next run: its status, as plain data, read back
 * through zod. A run started by the earlier code carries the earlier shape (accounts as one
 * record, ISO times, the schedule's marks stored); it is read and converted once, so a release
 * that was running when this code was deployed goes on. The argument comes from outside like any
 * input (anyone can start a run with a second argument), so it is checked as strictly as the
 * input: ids and versions as the input's (those the platform reported, as the platform may spell
 * them, within bounds that keep child workflow ids valid), times within the calendar, the schedule
 * within the input's ranges and matching the input. Free text is not bounded here: what the code
 * writes must always read back.
 */
import { NOTES_MAX_CHARS } from './notes';
import { z } from 'zod';
import { ReleaseNotifySchema } from '../notify/outbox';
import { describeIssues, IdSchema, ReleaseKindSchema, VersionSchema } from '../primitives';
import { countAccounts, type AccountStatus } from './accounts';
import { buildTable, type BucketTable } from './bucket-table';
import { packAccounts, unpackAccounts, type PackedAccounts } from './carried-accounts';
import { MAX_START_AHEAD_MS, RELEASE_STAGES, STAGE_LENGTH, type StagedReleaseParams } from './input';
import { DecisionLimitsSchema } from './limits';
import { FreezeCalendarSchema } from '../freeze/calendar';
import { RECONCILE_ACTIONS } from './reconcile';
import type { ReleaseStatus } from './status';
import { MAX_ACCOUNTS } from '../strategy';

/** The shape of runs started before the compact carried state: every account's record in its bucket. */
const TABLE_FORMAT = 2;
/** Accounts packed (carried-accounts.ts): ids, distinct records, a record number per account. */
const FORMAT = 3;

export type CarriedRelease =
  | { format: typeof TABLE_FORMAT; status: ReleaseStatus }
  | { format: typeof FORMAT; status: Omit<ReleaseStatus, 'accounts'> & { accounts: PackedAccounts } };

/**
 * The continue-as-new argument: packed (under 1 MB at 20,000 accounts), or the earlier table
 * shape for a run that replays as recorded before the packed shape existed.
 */
export function carry(status: ReleaseStatus, packed = true): CarriedRelease {
  if (!packed) return { format: TABLE_FORMAT, status };
  return { format: FORMAT, status: { ...status, accounts: packAccounts(status.accounts.table) } };
}

/** A carried argument that is not a status this release can go on from. */
export class CarriedRefused extends Error {
  override name = 'CarriedRefused';
}

/** Epoch ms from 1970 to the end of year 9999: every time the status keeps. */
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');
const Ms = z.number().int().min(0).max(LATEST_MS);
const IsoTime = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (!(ms >= 0 && ms <= LATEST_MS)) ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO time` });
  return ms;
});
const StageLength = z.number().int().min(STAGE_LENGTH.min).max(STAGE_LENGTH.max);
const Text = z.string();
/** An account id or a running version as the platform reports it: it ends up in child workflow ids. */
const PlatformName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\p{C}\s]+$/u, 'no spaces or control characters');
/** Status lists are bounded far above what the code keeps (timeline 300, an issue per wave halt or report). */
const MAX_LIST = 10_000;
const WaveSchema = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const MeasureSchema = z.object({
  version: PlatformName,
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  errorRate: z.number().min(0).max(1),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
});
/** Absent in states carried before the pre-release validation existed. */
const ValidationSchema = <T extends z.ZodType<number>>(time: T) =>
  z.object({
    state: z.enum(['pending', 'running', 'passed', 'failed', 'skipped', 'empty']),
    version: VersionSchema.optional(),
    skipReason: Text.optional(),
    regressions: z
      .array(
        z.object({
          accountId: PlatformName,
          version: PlatformName,
          verdict: z.enum(['passed', 'failed']),
          summary: Text,
          baseline: MeasureSchema.nullable(),
          candidate: MeasureSchema,
          at: time,
        }),
      )
      .max(MAX_LIST),
  });

const AccountSchema = z.object({
  wave: WaveSchema,
  state: z.enum(['pending', 'deploying', 'done']),
  version: PlatformName.nullable(),
  previous: PlatformName.nullable().optional(),
  attempted: VersionSchema.optional(),
  outcome: z.enum(['promoted', 'rolled-back', 'failed', 'cancelled', 'reverted', 'not-released']).optional(),
  reason: Text.optional(),
  reconciled: z.enum(RECONCILE_ACTIONS).optional(),
  skipped: z.literal(true).optional(),
}) satisfies z.ZodType<AccountStatus>;

/** The fields both shapes share, with their times in the shape's own form. */
function statusFields<T extends z.ZodType<number>>(time: T) {
  return {
    releaseId: IdSchema,
    originalVersion: VersionSchema,
    targetVersion: VersionSchema,
    kind: ReleaseKindSchema,
    notes: z.array(Text).max(MAX_LIST),
    stage: z.enum(RELEASE_STAGES),
    day: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    paused: z.boolean(),
    pauseReason: Text.optional(),
    holdReason: Text.optional(),
    pendingPatch: z.object({ version: VersionSchema, reason: Text, at: time }).optional(),
    abort: z.object({ reason: Text, rollback: z.boolean(), at: time }).optional(),
    halt: z.object({ wave: WaveSchema, reason: Text }).optional(),
    lastWaveOneFinishedAt: time.optional(),
    issues: z
      .array(
        z.object({
          id: z.number().int().nonnegative(),
          source: z.enum(['automated', 'on-call']),
          summary: Text,
          accounts: z.array(PlatformName).max(MAX_ACCOUNTS).optional(),
          openedAt: time,
          closedAt: time.optional(),
          closedBy: Text.optional(),
        }),
      )
      .max(MAX_LIST),
    nextIssueId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    // A run continues as new only with no swap in flight, so these are empty then; read for completeness.
    stalls: z
      .array(
        z.object({
          accountId: PlatformName,
          version: PlatformName,
          step: Text,
          since: time,
          stalledForMs: z.number().nonnegative().max(Number.MAX_SAFE_INTEGER),
          cause: Text,
          detail: Text,
          reportedAt: time,
        }),
      )
      .max(MAX_ACCOUNTS)
      .default([]),
    faultIssueId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    ownStall: z.object({ step: Text, since: time, cause: Text, detail: Text, checkedAt: time }).optional(),
    runs: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    validation: ValidationSchema(time).optional(),
    limits: DecisionLimitsSchema.optional(),
    freeze: z
      .object({
        calendar: FreezeCalendarSchema,
        readAt: time,
        overrides: z.array(z.object({ freezeId: Text, name: Text, reason: Text, at: time })).max(MAX_LIST),
        waitingOn: z.object({ id: Text, name: Text, start: Ms, end: Ms }).optional(),
      })
      .optional(),
    notify: ReleaseNotifySchema.optional(),
    startedAt: time,
    finishedAt: time.optional(),
    maintenance: z
      .object({
        leadMs: Ms,
        windows: z.record(PlatformName, z.object({ start: Ms, end: Ms, announcedAt: Ms })),
        needsWindow: z.record(PlatformName, Text),
      })
      .optional(),
    releaseNotes: z
      .union([
        z.object({
          target: VersionSchema,
          markdown: z.string().max(NOTES_MAX_CHARS + 200),
          sections: z
            .array(
              z.object({
                from: PlatformName.nullable(),
                accounts: z.number().int().nonnegative(),
                versions: z.array(PlatformName).max(MAX_LIST),
              }),
            )
            .max(MAX_LIST),
          at: time,
        }),
        z.object({ target: VersionSchema, error: Text, at: time }),
      ])
      .optional(),
  };
}

const TimelineEntrySchema = <T extends z.ZodType<number>>(time: T) =>
  z.object({ at: time, event: Text, detail: Text.optional() });

const TableSchema = z
  .object({
    keys: z.array(PlatformName).max(MAX_ACCOUNTS),
    bucketSize: z.number().int().positive().max(MAX_ACCOUNTS),
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

const PackedSchema = z
  .object({
    ids: z.array(PlatformName).max(MAX_ACCOUNTS),
    records: z.array(AccountSchema).max(MAX_ACCOUNTS),
    of: z.array(z.number().int().nonnegative()).max(MAX_ACCOUNTS),
  })
  .refine(
    (packed) => packed.of.length === packed.ids.length && packed.of.every((n) => n < packed.records.length),
    'every account has the number of one of the records',
  )
  .refine((packed) => new Set(packed.ids).size === packed.ids.length, 'each account id once');

/** The fields of format 2 and 3 but the accounts. */
const packedEraFields = {
  ...statusFields(Ms),
  schedule: z.object({ startAt: Ms, stageLength: StageLength }),
  timeline: z.object({
    entries: z.array(TimelineEntrySchema(Ms)).max(MAX_LIST),
    dropped: z.number().int().nonnegative(),
  }),
  lastSeq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
};

const CarriedSchema = z.object({
  format: z.literal(FORMAT),
  status: z.object({ ...packedEraFields, accounts: PackedSchema }),
});

const TableCarriedSchema = z.object({
  format: z.literal(TABLE_FORMAT),
  status: z.object({ ...packedEraFields, accounts: z.object({ table: TableSchema }) }),
});

const EarlierCarriedSchema = z.object({
  status: z.object({
    ...statusFields(IsoTime),
    schedule: z.object({ startAt: IsoTime, stageLengthMs: StageLength }),
    accounts: z.record(PlatformName, AccountSchema),
    timeline: z.array(TimelineEntrySchema(IsoTime)).max(MAX_LIST),
    timelineDropped: z.number().int().nonnegative(),
  }),
});

/**
 * The status a run started by continue-as-new goes on from: the carried argument read, then
 * checked against the release's input and the clock. Throws CarriedRefused saying what is wrong.
 */
export function resumeCarried(carried: unknown, params: StagedReleaseParams, now: number): ReleaseStatus {
  const status = readCarried(carried);
  const problems = [
    status.releaseId !== params.releaseId &&
      `status.releaseId: the status is of release ${status.releaseId}, the input of ${params.releaseId}`,
    status.originalVersion !== params.version &&
      `status.originalVersion: ${status.originalVersion} is not the input's version ${params.version}`,
    status.kind !== params.kind && `status.kind: ${status.kind} is not the input's kind ${params.kind}`,
    status.schedule.stageLength !== params.schedule.stageLength &&
      "status.schedule.stageLength: not the input's stage length",
    params.schedule.startAt !== undefined &&
      status.schedule.startAt !== Date.parse(params.schedule.startAt) &&
      "status.schedule.startAt: not the input's startAt",
    status.schedule.startAt > now + MAX_START_AHEAD_MS && 'status.schedule.startAt: more than 365 days ahead',
    (status.lastWaveOneFinishedAt ?? 0) > now && 'status.lastWaveOneFinishedAt: in the future',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length) throw new CarriedRefused(problems.join('; '));
  return status;
}

/** The status a carried argument holds, in any of its shapes; throws CarriedRefused naming what is wrong. */
export function readCarried(carried: unknown): ReleaseStatus {
  const format = (carried as { format?: unknown } | undefined)?.format;
  if (format === FORMAT) {
    const { status } = parseOrRefuse(CarriedSchema, carried);
    const table = unpackAccounts(status.accounts as PackedAccounts);
    return { ...status, accounts: { table, counts: countAccounts(table) } };
  }
  if (format === TABLE_FORMAT) {
    const { status } = parseOrRefuse(TableCarriedSchema, carried);
    const table = status.accounts.table as BucketTable<AccountStatus>;
    return { ...status, accounts: { table, counts: countAccounts(table) } };
  }
  const { status } = parseOrRefuse(EarlierCarriedSchema, carried);
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

function parseOrRefuse<S extends z.ZodType>(schema: S, carried: unknown): z.output<S> {
  const parsed = schema.safeParse(carried);
  if (!parsed.success) throw new CarriedRefused(describeIssues(parsed.error, 'carried'));
  return parsed.data;
}
