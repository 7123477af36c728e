import { z } from 'zod';
import { DAY, durationWithin, IdSchema, ReleaseKindSchema, SECOND, VersionSchema } from '../primitives';
import { MAX_ACCOUNTS, StrategySchema } from '../strategy';

/** Time between Day 1, Day 2 and Day 3. */
export const STAGE_LENGTH = { min: SECOND, max: 30 * DAY } as const;
/** Day 1 may be set this far ahead of when the release starts, at most. */
export const MAX_START_AHEAD_MS = 365 * DAY;
/** Day 1 may not be set before this (a typo guard: a Day 1 in the past starts at once). */
export const EARLIEST_START_AT = '2000-01-01T00:00:00Z';

/**
 * Day 1, an ISO time. Checked against the clock where it is parsed: in the workflow that is the
 * workflow's own (replay-safe) time, and a later run (continue-as-new) only sees it nearer.
 */
const StartAtSchema = z.iso
  .datetime({ offset: true, message: 'startAt must be an ISO time such as "2026-11-23T09:00:00Z"' })
  .superRefine((text, ctx) => {
    const at = Date.parse(text);
    if (at < Date.parse(EARLIEST_START_AT))
      ctx.addIssue({ code: 'custom', message: `startAt must not be before ${EARLIEST_START_AT}` });
    else if (at > Date.now() + MAX_START_AHEAD_MS)
      ctx.addIssue({ code: 'custom', message: 'startAt must be at most 365 days ahead of the release start' });
  });

/** Input of `stagedRelease`: one JSON object. */
export const StagedReleaseInputSchema = z
  .object({
    releaseId: IdSchema,
    version: VersionSchema,
    kind: ReleaseKindSchema.default('minor'),
    notes: z.array(z.string().max(500)).max(100).default([]),
    /** Default: every account the fleet knows. */
    accounts: z
      .array(IdSchema)
      .min(1, 'give at least one account id, or leave "accounts" out for every account')
      .max(MAX_ACCOUNTS)
      .optional(),
    schedule: z
      .object({
        /** Day 1; default: when the release starts. */
        startAt: StartAtSchema.optional(),
        /** Time between Day 1, Day 2 and Day 3. */
        stageLength: durationWithin(STAGE_LENGTH).default(DAY),
      })
      .strict()
      .prefault({}),
    strategy: StrategySchema.prefault({}),
    /**
     * Starts the release without its pre-release validation on internal accounts (wave 0); for
     * releases started by hand, and only with a reason, which the status and timeline show.
     */
    skipValidation: z
      .object(
        {
          reason: z
            .string({ error: 'skipValidation.reason: say why this release skips wave 0' })
            .trim()
            .min(1, 'skipValidation.reason: say why this release skips wave 0')
            .max(500),
        },
        { error: 'skipValidation must be an object such as {"reason": "hotfix for incident 123"}' },
      )
      .strict()
      .optional(),
  })
  .strict();
export type StagedReleaseInput = z.input<typeof StagedReleaseInputSchema>;
export type StagedReleaseParams = z.output<typeof StagedReleaseInputSchema>;

export const RELEASE_STAGES = [
  'planning',
  'scheduled',
  'wave-0',
  'wave-1',
  'bake',
  'patch-wave-1',
  'held',
  'wave-2',
  'rolling-back',
  'completed',
  'aborted',
] as const;
export type ReleaseStage = (typeof RELEASE_STAGES)[number];

export function releaseWorkflowId(releaseId: string): string {
  return `release-${releaseId}`;
}

/** Names of the messages of `stagedRelease`: each is a signal and an update of the same name. */
export const RELEASE_MESSAGES = {
  pause: 'pause',
  resume: 'resume',
  patch: 'patch',
  abort: 'abort',
  reportIssue: 'reportIssue',
  retryAccount: 'retryAccount',
  skipAccount: 'skipAccount',
  rollbackAccount: 'rollbackAccount',
  overrideFreeze: 'overrideFreeze',
} as const;
export type ReleaseMessageName = keyof typeof RELEASE_MESSAGES;
export const RELEASE_QUERY_STATUS = 'status';
export const RELEASE_QUERY_ACCOUNTS = 'accounts';
export const RELEASE_QUERY_PLAN = 'plan';
export const RELEASE_QUERY_NOTES = 'releaseNotes';
export { RELEASE_SWAP_STALL_SIGNAL } from './swap-stall-signal';

const Reason = z.string().trim().min(1, 'give a reason').max(500);
/** One account's repair by on-call: which account, and why (recorded in the timeline). */
const AccountRepair = z.object({ accountId: IdSchema, reason: Reason }).strict();
const AccountRepairShape = z.object({ accountId: z.string(), reason: z.string().trim() });

export const ReleaseMessageSchemas = {
  pause: z.object({ reason: Reason }).strict(),
  resume: z
    .object({ reason: z.string().max(500).optional() })
    .strict()
    .prefault({}),
  patch: z.object({ version: VersionSchema, reason: Reason }).strict(),
  abort: z.object({ reason: Reason, rollback: z.boolean().default(false) }).strict(),
  reportIssue: z
    .object({
      summary: z.string().trim().min(1, 'give a summary').max(500),
      accounts: z.array(IdSchema).max(1000).optional(),
    })
    .strict(),
  retryAccount: AccountRepair,
  skipAccount: AccountRepair,
  rollbackAccount: AccountRepair,
  overrideFreeze: z.object({ reason: Reason }).strict(),
} as const;

/**
 * The same messages read without their rules (lengths, version syntax, strictness): what an
 * update's handler reads once its validator accepted the payload. A handler runs again on every
 * replay, and an update accepted under earlier rules must read back the same under stricter ones.
 */
export const ReleaseMessageShapes = {
  pause: z.object({ reason: z.string().trim() }),
  resume: z.object({ reason: z.string().optional() }).prefault({}),
  patch: z.object({ version: z.string(), reason: z.string().trim() }),
  abort: z.object({ reason: z.string().trim(), rollback: z.boolean().default(false) }),
  reportIssue: z.object({ summary: z.string().trim(), accounts: z.array(z.string()).optional() }),
  retryAccount: AccountRepairShape,
  skipAccount: AccountRepairShape,
  rollbackAccount: AccountRepairShape,
  overrideFreeze: z.object({ reason: z.string().trim() }),
} as const satisfies {
  [K in keyof typeof ReleaseMessageSchemas]: z.ZodType<z.output<(typeof ReleaseMessageSchemas)[K]>>;
};

export type PauseMessage = z.input<typeof ReleaseMessageSchemas.pause>;
export type ResumeMessage = z.input<typeof ReleaseMessageSchemas.resume>;
export type PatchMessage = z.input<typeof ReleaseMessageSchemas.patch>;
export type AbortMessage = z.input<typeof ReleaseMessageSchemas.abort>;
export type ReportIssueMessage = z.input<typeof ReleaseMessageSchemas.reportIssue>;
export type AccountRepairMessage = z.input<typeof AccountRepair>;
export type AccountRepairName = 'retryAccount' | 'skipAccount' | 'rollbackAccount';
export type OverrideFreezeMessage = z.input<typeof ReleaseMessageSchemas.overrideFreeze>;
export type ReleaseMessage =
  | { name: 'pause'; payload: z.output<typeof ReleaseMessageSchemas.pause> }
  | { name: 'resume'; payload: z.output<typeof ReleaseMessageSchemas.resume> }
  | { name: 'patch'; payload: z.output<typeof ReleaseMessageSchemas.patch> }
  | { name: 'abort'; payload: z.output<typeof ReleaseMessageSchemas.abort> }
  | { name: 'reportIssue'; payload: z.output<typeof ReleaseMessageSchemas.reportIssue> }
  | { name: AccountRepairName; payload: z.output<typeof AccountRepair> }
  | { name: 'overrideFreeze'; payload: z.output<typeof ReleaseMessageSchemas.overrideFreeze> };
