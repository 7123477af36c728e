/**
 * Runs the local fleet daemon: `tsx packages/local-fleet/src/daemon-main.ts [--port 7380] [--host 127.0.0.1]
 * [--seed packages/local-fleet/seeds/demo-accounts.json]
 * [--mode process|lightweight] [--routers per-account|shared] [--router-port N] [--router-base-port N]
 * [--engine-logs inherit|ignore] [--token <secret>]`. Each flag has an environment twin (FLEET_PORT, FLEET_HOST,
 * FLEET_SEED, FLEET_MODE, FLEET_ROUTERS, FLEET_ROUTER_PORT, FLEET_ROUTER_BASE_PORT, FLEET_ENGINE_LOGS, FLEET_TOKEN);
 * flags win. Prefer FLEET_TOKEN to --token: a flag is visible to every user of the machine in `ps`.
 * SIGINT/SIGTERM stop every instance and router it started.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startFleetDaemon } from './daemon';
import { FleetTokenSchema } from './auth';
import { createLogger } from './logger';
import { describeIssues } from './primitives';
import { AccountStateSchema } from './schemas';
import { DEMO_SEED_PATH } from './seed';

const Port = z.coerce.number().int().min(0).max(65_535);

const SettingsSchema = z.object({
  port: Port.optional(),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.string().min(1).default(DEMO_SEED_PATH),
  mode: z.enum(['process', 'lightweight'], { message: 'mode must be process or lightweight' }).default('process'),
  routers: z.enum(['per-account', 'shared'], { message: 'routers must be per-account or shared' }).optional(),
  routerPort: Port.optional(),
  routerBasePort: Port.optional(),
  engineLogs: z.enum(['inherit', 'ignore'], { message: 'engine-logs must be inherit or ignore' }).default('inherit'),
  fleetUrl: z.url().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Empty reads as unset, so `FLEET_TOKEN=` in a shell or an env file does not count as a token. */
  token: z.preprocess((value) => (value === '' ? undefined : value), FleetTokenSchema.optional()),
});

function readSettings() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      routers: { type: 'string' },
      'router-port': { type: 'string' },
      'router-base-port': { type: 'string' },
      'engine-logs': { type: 'string' },
      token: { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const parsed = SettingsSchema.safeParse({
    port: values.port ?? env.FLEET_PORT,
    host: values.host ?? env.FLEET_HOST,
    seed: values.seed ?? env.FLEET_SEED,
    mode: values.mode ?? env.FLEET_MODE,
    routers: values.routers ?? env.FLEET_ROUTERS,
    routerPort: values['router-port'] ?? env.FLEET_ROUTER_PORT,
    routerBasePort: values['router-base-port'] ?? env.FLEET_ROUTER_BASE_PORT,
    engineLogs: values['engine-logs'] ?? env.FLEET_ENGINE_LOGS,
    fleetUrl: env.FLEET_URL,
    logLevel: env.LOG_LEVEL,
    token: values.token ?? env.FLEET_TOKEN,
  });
  if (!parsed.success) {
    throw new Error(`invalid fleet daemon settings: ${describeIssues(parsed.error, 'settings')}`);
  }
  const settings = parsed.data;
  // The daemon listens where the worker will look for it (FLEET_URL) unless a port is given.
  const port = settings.port ?? (settings.fleetUrl ? Number(new URL(settings.fleetUrl).port || 80) : 7380);
  return { ...settings, port };
}

async function main(): Promise<void> {
  const settings = readSettings();
  const logger = createLogger(settings.logLevel, 'fleet');
  const daemon = await startFleetDaemon({
    port: settings.port,
    host: settings.host,
    mode: settings.mode,
    seed: settings.seed === 'none' ? undefined : settings.seed,
    routers: settings.routers,
    routerPort: settings.routerPort,
    routerBasePort: settings.routerBasePort,
    engineOutput: settings.engineLogs,
    logLevel: settings.logLevel,
    logger,
    token: settings.token,
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping the fleet daemon');
    daemon.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const state = z
    .object({ accounts: z.array(AccountStateSchema) })
    .parse(await (await fetch(`${daemon.url}/state`, { headers: authorization(settings.token) })).json());
  for (const account of state.accounts) {
    logger.info(
      {
        accountId: account.accountId,
        version: account.version,
        pool: account.pool.length,
        routerUrl: account.routerUrl,
      },
      'account router',
    );
  }
  logger.info(
    { url: daemon.url, mode: daemon.mode, accounts: state.accounts.length },
    `fleet daemon ready at ${daemon.url}`,
  );
}

function authorization(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
