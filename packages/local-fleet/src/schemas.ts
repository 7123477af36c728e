/** zod schemas of everything that crosses the fleet daemon's boundary: seed file, API bodies and answers. */
import { z } from 'zod';
import { FaultSchema } from './faults';
import { AccountIdSchema, parseDuration, VersionSchema } from './primitives';
import { referenceNow } from './reference-time';

export { AccountIdSchema, FaultSchema, VersionSchema };

export const UseCaseSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a use case name is lower-case letters, digits and "-", for example "fraud-score"');

export const InstanceIdSchema = z
  .string()
  .min(1)
  .max(240)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an instance id is letters, digits, ".", "_" and "-"');

const RELATIVE_TIME = /^(now)?\s*([+-])\s*(.+)$/i;

/**
 * A point in time: an ISO time with offset ("2026-11-23T02:00:00Z"), "now", or relative to now
 * ("+2h", "-30m", "now+1 day"); relative times are fixed when parsed, so demo seeds never go stale.
 */
export const TimeSchema = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  const now = referenceNow();
  if (trimmed.toLowerCase() === 'now') return new Date(now).toISOString();
  const relative = RELATIVE_TIME.exec(trimmed);
  if (relative) {
    const ms = parseDuration(relative[3]);
    if (ms !== undefined) return new Date(now + (relative[2] === '-' ? -ms : ms)).toISOString();
  }
  if (z.iso.datetime({ offset: true }).safeParse(trimmed).success) return new Date(trimmed).toISOString();
  ctx.addIssue({
    code: 'custom',
    message: `"${text}" is not a time; use an ISO time such as "2026-11-23T02:00:00Z", "now", or a relative time such as "+2h"`,
  });
  return z.NEVER;
});

export const MaintenanceWindowSchema = z
  .object({ start: TimeSchema, end: TimeSchema })
  .strict()
  .refine((window) => window.end > window.start, {
    message: 'the maintenance window must end after it starts',
    path: ['end'],
  });

/** A release note of a version: what kind of change, in one line. */
export const VersionNoteSchema = z
  .object({
    kind: z.enum(['feature', 'fix', 'security', 'breaking'], {
      message: 'a note kind is feature, fix, security or breaking',
    }),
    text: z.string().trim().min(1, 'a note needs a text').max(500),
  })
  .strict();
const VersionNotes = z.array(VersionNoteSchema).max(50);
export const VersionChannelSchema = z.enum(['candidate', 'stable'], {
  message: 'channel must be "candidate" or "stable"',
});
export type VersionChannel = z.output<typeof VersionChannelSchema>;

export const VersionSpecSchema = z
  .object({
    version: VersionSchema,
    /** Versions of one lineage serve the same feature values. */
    lineage: z.string().min(1).max(64).default('v1'),
    /** How long an instance of this version takes to initialize before it is ready. */
    initMs: z.number().int().min(0).max(600_000).default(500),
    fault: FaultSchema.optional(),
    /** Release notes of this version (what changed since the version before it in the catalogue). */
    notes: VersionNotes.optional(),
    /** `candidate` versions are not taken by the release train; `stable` ones are. */
    channel: VersionChannelSchema.default('stable'),
    /** When the version was published (default: when the seed or the API call was read). */
    publishedAt: TimeSchema.prefault('now'),
  })
  .strict();
export type VersionSpec = z.output<typeof VersionSpecSchema>;

const UseCaseList = z.array(UseCaseSchema).min(1, 'an account serves at least one use case').max(20);
const InstanceCount = z.number().int().min(1).max(50);

const AccountFields = {
  earlyAccess: z.boolean().default(false),
  /** Internal accounts (the platform's own) get every release first, in its pre-release validation (wave 0). */
  internal: z.boolean().default(false),
  useCases: UseCaseList,
  instanceCount: InstanceCount.default(2),
  maintenanceWindow: MaintenanceWindowSchema.optional(),
  /** What clients get while a major upgrade holds the account in maintenance: a maintenance page, or its fallback. */
  maintenanceMode: z.enum(['page', 'bypass'], { message: 'maintenanceMode is page or bypass' }).optional(),
  /** Where "bypass" forwards requests (the account's fallback that works without the engine). */
  fallbackUrl: z.url({ message: 'fallbackUrl must be a URL such as http://127.0.0.1:9000' }).optional(),
};

const BYPASS_NEEDS_FALLBACK = {
  message: 'maintenanceMode "bypass" needs a fallbackUrl to forward requests to',
  path: ['fallbackUrl'],
};
/** Whether the account's maintenance settings make sense together. */
export function maintenanceSettingsValid(account: { maintenanceMode?: string; fallbackUrl?: string }): boolean {
  return account.maintenanceMode !== 'bypass' || account.fallbackUrl !== undefined;
}

export const AccountSeedSchema = z
  .object({
    accountId: AccountIdSchema,
    ...AccountFields,
    /** Provisioned and pooled when the daemon starts (default: the seed's first version) or when the account is created through the API. */
    currentVersion: VersionSchema.optional(),
  })
  .strict()
  .refine(maintenanceSettingsValid, BYPASS_NEEDS_FALLBACK);
export type AccountSeed = z.output<typeof AccountSeedSchema>;
export type AccountSeedInput = z.input<typeof AccountSeedSchema>;

export const SeedSchema = z
  .object({
    $comment: z.string().optional(),
    versions: z.array(VersionSpecSchema).default([]),
    accounts: z.array(AccountSeedSchema).default([]),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const versions = new Set<string>();
    seed.versions.forEach((spec, index) => {
      if (versions.has(spec.version))
        ctx.addIssue({
          code: 'custom',
          path: ['versions', index, 'version'],
          message: `version ${spec.version} is listed twice`,
        });
      versions.add(spec.version);
    });
    const accounts = new Set<string>();
    seed.accounts.forEach((account, index) => {
      if (accounts.has(account.accountId))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', index, 'accountId'],
          message: `account ${account.accountId} is listed twice`,
        });
      accounts.add(account.accountId);
      if (account.currentVersion !== undefined && !versions.has(account.currentVersion)) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', index, 'currentVersion'],
          message: `version ${account.currentVersion} is not in the seed's versions`,
        });
      }
    });
  });
export type FleetSeed = z.output<typeof SeedSchema>;
export type FleetSeedInput = z.input<typeof SeedSchema>;

// ---- Control-plane request bodies ----

const InstanceIdList = z.array(InstanceIdSchema).max(200);

export const AccountPutBodySchema = z
  .object({ ...AccountFields, currentVersion: VersionSchema.optional() })
  .strict()
  .refine(maintenanceSettingsValid, BYPASS_NEEDS_FALLBACK);

export const AccountPatchBodySchema = z
  .object({
    earlyAccess: z.boolean().optional(),
    internal: z.boolean().optional(),
    useCases: UseCaseList.optional(),
    instanceCount: InstanceCount.optional(),
    /** null removes the window. */
    maintenanceWindow: MaintenanceWindowSchema.nullable().optional(),
    maintenanceMode: AccountFields.maintenanceMode,
    /** null removes it. */
    fallbackUrl: AccountFields.fallbackUrl.unwrap().nullable().optional(),
  })
  .strict();

export const VersionPutBodySchema = z
  .object({
    lineage: z.string().min(1).max(64).optional(),
    initMs: z.number().int().min(0).max(600_000).optional(),
    /** null clears the fault. */
    fault: FaultSchema.nullable().optional(),
    notes: VersionNotes.optional(),
    channel: VersionChannelSchema.optional(),
    publishedAt: TimeSchema.optional(),
  })
  .strict();

export const ProvisionBodySchema = z
  .object({
    version: VersionSchema,
    count: z.number().int().min(1).max(50),
    requestId: z.string().min(1, 'requestId must not be empty').max(200),
  })
  .strict();

export const PoolBodySchema = z.object({ instanceIds: InstanceIdList }).strict();

export const DrainBodySchema = z
  .object({
    instanceIds: InstanceIdList,
    timeoutMs: z.number().int().min(0).max(3_600_000).default(60_000),
  })
  .strict();

export const DecommissionBodySchema = z.object({ instanceIds: InstanceIdList }).strict();

export const MaintenanceBodySchema = z.discriminatedUnion(
  'enabled',
  [
    z.object({ enabled: z.literal(false) }).strict(),
    z
      .object({
        enabled: z.literal(true),
        forwardTo: z.url({ protocol: /^https?$/, message: 'forwardTo must be an http(s) URL' }).optional(),
      })
      .strict(),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'send {"enabled": false} or {"enabled": true, "forwardTo"?: "http://..."}'
        : undefined,
  },
);

/** A swap holding an account: its workflow id and the first run of its chain (stable across retries and resets). */
export const ClaimHolderSchema = z
  .object({ workflowId: z.string().min(1).max(1000), runId: z.string().min(1).max(200) })
  .strict();

export const ClaimBodySchema = z
  .object({
    holder: ClaimHolderSchema,
    /** Take the claim over from this holder (its swap has ended without releasing it); compare-and-set. */
    replaces: ClaimHolderSchema.optional(),
  })
  .strict();

export const ClaimReleaseBodySchema = z.object({ holder: ClaimHolderSchema }).strict();

export const FeatureRequestSchema = z.object({ useCase: UseCaseSchema, entity: z.string().min(1).max(200) }).strict();

export const ProbeBodySchema = z
  .object({
    target: z.union(
      [
        z.object({ instanceIds: z.array(InstanceIdSchema).min(1).max(200) }).strict(),
        z.object({ router: z.literal(true) }).strict(),
      ],
      { error: 'target must be {"instanceIds": [...]} or {"router": true}' },
    ),
    requests: z.array(FeatureRequestSchema).min(1).max(10_000),
    /** Per-request timeout. */
    timeoutMs: z.number().int().min(1).max(120_000).default(5_000),
  })
  .strict();

export const InstancesQuerySchema = z.object({
  ids: z
    .string()
    .optional()
    .transform((text) => (text === undefined || text === '' ? undefined : text.split(',')))
    .pipe(z.array(InstanceIdSchema).optional()),
});

// ---- Control-plane answers (parsed by the client) ----

export const AccountInfoSchema = z.object({
  accountId: z.string(),
  earlyAccess: z.boolean(),
  internal: z.boolean().default(false),
  useCases: z.array(z.string()),
  instanceCount: z.number(),
  maintenanceWindow: z.object({ start: z.string(), end: z.string() }).optional(),
  maintenanceMode: z.enum(['page', 'bypass']).optional(),
  fallbackUrl: z.string().optional(),
});

export const InstanceStateSchema = z.enum(['starting', 'ready', 'failed', 'draining', 'stopped']);

export const InstanceInfoSchema = z.object({
  instanceId: z.string(),
  accountId: z.string(),
  version: z.string(),
  state: InstanceStateSchema,
  ready: z.boolean(),
  inPool: z.boolean(),
  inFlight: z.number(),
  error: z.string().optional(),
  requestId: z.string().optional(),
});

export const MaintenanceModeSchema = z.union([
  z.object({ enabled: z.literal(false) }),
  z.object({ enabled: z.literal(true), forwardTo: z.string().optional() }),
]);

export const AccountStateSchema = z.object({
  accountId: z.string(),
  version: z.string().nullable(),
  pool: z.array(InstanceInfoSchema),
  maintenance: MaintenanceModeSchema,
  routerUrl: z.string(),
});

export const DrainStatusSchema = z.object({ instanceId: z.string(), state: InstanceStateSchema, inFlight: z.number() });

export const FeatureAnswerSchema = z.object({
  request: z.object({ useCase: z.string(), entity: z.string() }),
  ok: z.boolean(),
  status: z.number(),
  latencyMs: z.number(),
  values: z.record(z.string(), z.number()).optional(),
  error: z.string().optional(),
  instanceId: z.string().optional(),
  version: z.string().optional(),
});

export const AccountClaimSchema = z.object({
  accountId: z.string(),
  holder: z.object({ workflowId: z.string(), runId: z.string() }).nullable(),
  since: z.string().optional(),
});

export const ErrorBodySchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
