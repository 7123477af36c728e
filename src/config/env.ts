import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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
  /** Worker concurrency: activities at once (most of them wait on the fleet). */
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(200),
});

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
