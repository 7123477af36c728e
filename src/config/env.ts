import { z } from 'zod';
import { BuildIdSchema } from '../versioning/build-id';
import { TrainCalendarSchema, type TrainCalendar } from '../domain/train/calendar';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * FLEET_TOKEN: the fleet daemon's bearer token. Empty reads as unset, so `FLEET_TOKEN=` in a shell
 * or an env file does not count as a token.
 */
export const FleetTokenSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .min(16, 'FLEET_TOKEN must be at least 16 characters, the same token the fleet daemon was started with')
    .max(512, 'FLEET_TOKEN must be at most 512 characters')
    .regex(/^[A-Za-z0-9._~+/=-]+$/, 'FLEET_TOKEN may use letters, digits and . _ ~ + / = - only')
    .optional(),
);

/**
 * Settings this app reads itself. Connection settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE) follow Temporal's
 * own conventions and are read by @temporalio/envconfig; see ./temporal-connection.ts.
 */
const AppEnvSchema = z.object({
  TEMPORAL_TASK_QUEUE: z.string().min(1, 'TEMPORAL_TASK_QUEUE must not be empty').default('staged-release'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Control-plane URL of the fleet the activities release to. */
  FLEET_URL: z
    .url({ message: 'FLEET_URL must be a URL such as http://127.0.0.1:7380' })
    .default('http://127.0.0.1:7380'),
  /** Bearer token of the fleet's control plane (required by a fleet that listens beyond loopback). */
  FLEET_TOKEN: FleetTokenSchema,
  /** Worker concurrency: activities at once (most of them wait on the fleet). */
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Prometheus endpoint of the worker (`/metrics`: the SDK runtime's metrics and the application's); 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce
    .number({ message: 'WORKER_METRICS_PORT must be a port number such as 9464 (0 turns the endpoint off)' })
    .int('WORKER_METRICS_PORT must be a whole port number such as 9464 (0 turns the endpoint off)')
    .min(0, 'WORKER_METRICS_PORT must be 0 (off) or a port from 1 to 65535')
    .max(65_535, 'WORKER_METRICS_PORT must be 0 (off) or a port from 1 to 65535')
    .default(9464),
  /** Address the worker's metrics endpoint binds: loopback unless Prometheus scrapes from elsewhere (0.0.0.0 in compose). */
  WORKER_METRICS_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]+$/, 'WORKER_METRICS_HOST must be a host name or IP address such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /** The worker is a version of this Worker Deployment (README, "Updating the orchestrator"). */
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, 'TEMPORAL_DEPLOYMENT_NAME may use letters, digits and . _ - only')
    .default('staged-release'),
  /** The worker's version; default: the git commit of a clean checkout, else a hash of the workflow bundle. */
  BUILD_ID: z.preprocess((value) => (value === '' ? undefined : value), BuildIdSchema.optional()),
  /** JSON file of the freeze calendar (README, "Freeze windows"); unset: no freezes. Read at every look-up. */
  FREEZE_CALENDAR: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(1, 'FREEZE_CALENDAR must be the path of a JSON freeze calendar').optional(),
  ),
  /** `off` runs an unversioned worker (it gets only workflows that no versioned worker owns). */
  WORKER_VERSIONING: z.enum(['on', 'off'], { message: 'WORKER_VERSIONING must be on or off' }).default('on'),
  /** Make this build the current version when it starts: always, only when none is (`if-none`, the first deployment), or never. */
  WORKER_SET_CURRENT: z
    .enum(['always', 'if-none', 'never'], { message: 'WORKER_SET_CURRENT must be always, if-none or never' })
    .optional(),
});

/** `host:port` for the runtime's Prometheus exporter, or undefined when WORKER_METRICS_PORT is 0. */
export function workerMetricsAddress(
  env: Pick<AppEnv, 'WORKER_METRICS_PORT' | 'WORKER_METRICS_HOST'>,
): string | undefined {
  if (env.WORKER_METRICS_PORT === 0) return undefined;
  const host = env.WORKER_METRICS_HOST.includes(':') ? `[${env.WORKER_METRICS_HOST}]` : env.WORKER_METRICS_HOST;
  return `${host}:${env.WORKER_METRICS_PORT}`;
}

export type AppEnv = z.infer<typeof AppEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readAppEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const parsed = AppEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration in the environment:\n${problems}`);
  }
  return parsed.data;
}

/** Empty reads as unset, as for FLEET_TOKEN. */
const unsetIfEmpty = (value: string | undefined) => (value === '' ? undefined : value);

/**
 * The release train's calendar: RELEASE_TRAIN_DAY1 ("tuesday 09:00", the default),
 * RELEASE_TRAIN_TIME_ZONE (IANA, default UTC) and RELEASE_TRAIN_STAGE_LENGTH (default "1 day").
 */
export function readTrainCalendar(env: NodeJS.ProcessEnv = process.env): TrainCalendar {
  const parsed = TrainCalendarSchema.safeParse({
    day1: unsetIfEmpty(env.RELEASE_TRAIN_DAY1),
    timeZone: unsetIfEmpty(env.RELEASE_TRAIN_TIME_ZONE),
    stageLength: unsetIfEmpty(env.RELEASE_TRAIN_STAGE_LENGTH),
  });
  if (!parsed.success) {
    const names: Record<string, string> = {
      day1: 'RELEASE_TRAIN_DAY1',
      timeZone: 'RELEASE_TRAIN_TIME_ZONE',
      stageLength: 'RELEASE_TRAIN_STAGE_LENGTH',
    };
    const problems = parsed.error.issues
      .map((issue) => `  ${names[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new ConfigError(`Invalid release train calendar in the environment:\n${problems}`);
  }
  return parsed.data;
}
