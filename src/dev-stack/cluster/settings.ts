import path from 'node:path';
import { z } from 'zod';
import { FleetTokenSchema } from '../../config/env';
import { describeIssues } from '../../domain/primitives';
import { REPO_ROOT } from '../tool-scripts';

/** The ports of a Temporal server running its four services in one process. */
export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export interface ClusterPorts {
  postgres: number;
  temporal: TemporalPorts;
  ui: number;
  fleet: number;
}

export interface ClusterSettings {
  /** PostgreSQL's data, the generated server and UI configs: kept across starts. */
  dataDir: string;
  ports: ClusterPorts;
  namespace: string;
  taskQueue: string;
  /** Worker processes (src/worker.ts), each its own OS process. */
  workers: number;
  /** LOG_LEVEL of the workers and the fleet. */
  logLevel: string;
  /** Fleet seed file; default the demo accounts. */
  fleetSeed?: string;
  /** The fleet's bearer token (FLEET_TOKEN), given to the fleet and every worker; none: loopback only. */
  fleetToken?: string;
}

/** The folders and files of one cluster under its data folder. */
export function clusterPaths(dataDir: string) {
  return {
    postgresData: path.join(dataDir, 'postgres'),
    temporalRoot: path.join(dataDir, 'temporal'),
    temporalConfig: path.join(dataDir, 'temporal', 'config', 'cluster.yaml'),
    dynamicConfig: path.join(dataDir, 'temporal', 'dynamicconfig.yaml'),
    uiRoot: path.join(dataDir, 'ui'),
    uiConfig: path.join(dataDir, 'ui', 'config', 'cluster.yaml'),
  };
}

/**
 * Temporal's own port layout around the frontend's gRPC port, as in its development configs:
 * 7233 gives history 7234, matching 7235, worker 7239, frontend HTTP 7243, membership 6933-6939.
 */
export function temporalPortsAround(frontend: number): TemporalPorts {
  return {
    frontend,
    frontendHttp: frontend + 10,
    frontendMembership: frontend - 300,
    history: frontend + 1,
    historyMembership: frontend + 1 - 300,
    matching: frontend + 2,
    matchingMembership: frontend + 2 - 300,
    worker: frontend + 6,
    workerMembership: frontend + 6 - 300,
  };
}

const Port = z.coerce.number().int().min(1).max(65_535);

const ClusterEnvSchema = z.object({
  CLUSTER_DATA_DIR: z
    .string()
    .min(1)
    .default(path.join(REPO_ROOT, '.data', 'cluster')),
  CLUSTER_POSTGRES_PORT: Port.default(5433),
  CLUSTER_TEMPORAL_PORT: z.coerce
    .number()
    .int()
    .min(1324, 'CLUSTER_TEMPORAL_PORT must be 1324 or more (membership ports sit 300 below it)')
    .max(
      33_061,
      'CLUSTER_TEMPORAL_PORT must be 33061 or less: Temporal stores its membership ports (about 300 below it) in a PostgreSQL smallint',
    )
    .default(7233),
  CLUSTER_UI_PORT: Port.default(8080),
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  FLEET_PORT: Port.default(7380),
  FLEET_SEED: z.string().min(1).optional(),
  FLEET_TOKEN: FleetTokenSchema,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('staged-release'),
  LOG_LEVEL: z.string().min(1).default('info'),
});

/** `npm run cluster`'s settings from the environment (see the README's configuration table). */
export function readClusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const parsed = ClusterEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid cluster settings: ${describeIssues(parsed.error, 'environment')}`);
  const values = parsed.data;
  return {
    dataDir: path.resolve(values.CLUSTER_DATA_DIR),
    ports: {
      postgres: values.CLUSTER_POSTGRES_PORT,
      temporal: temporalPortsAround(values.CLUSTER_TEMPORAL_PORT),
      ui: values.CLUSTER_UI_PORT,
      fleet: values.FLEET_PORT,
    },
    namespace: values.TEMPORAL_NAMESPACE,
    taskQueue: values.TEMPORAL_TASK_QUEUE,
    workers: values.CLUSTER_WORKERS,
    logLevel: values.LOG_LEVEL,
    fleetSeed: values.FLEET_SEED,
    fleetToken: values.FLEET_TOKEN,
  };
}
