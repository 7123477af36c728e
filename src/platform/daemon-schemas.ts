/** zod schemas of the fleet daemon's answers, as the orchestrator reads them (extra fields are dropped). */
import { z } from 'zod';

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

export const VersionInfoSchema = z.object({
  version: z.string(),
  notes: z.array(z.object({ kind: z.enum(['feature', 'fix', 'security', 'breaking']), text: z.string() })).optional(),
  channel: z.enum(['candidate', 'stable']),
  publishedAt: z.iso.datetime({ offset: true }),
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
