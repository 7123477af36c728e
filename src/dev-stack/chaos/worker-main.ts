/**
 * The worker as the chaos run starts it, again and again: src/worker.ts's worker, configured by
 * the same environment (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, FLEET_URL, LOG_LEVEL, ...), but
 * loading the workflows from a bundle the run built once (CHAOS_WORKFLOW_BUNDLE), so that a new
 * worker polls within a few seconds of the last one's death. Prints READY_MARKER once it runs.
 */
import { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { readAppEnv } from '../../config/env';
import { readTemporalConnection } from '../../config/temporal-connection';
import { createLogger } from '../../logging/logger';
import { DaemonFleetProvider } from '../../platform/daemon-client';
import { createStagedReleaseWorker, installRuntime } from '../../worker';

export const READY_MARKER = 'chaos-worker-ready';

const BundleEnvSchema = z.object({
  CHAOS_WORKFLOW_BUNDLE: z.string().min(1, 'CHAOS_WORKFLOW_BUNDLE: the path of a prebuilt workflow bundle'),
});

async function main(): Promise<void> {
  const env = readAppEnv();
  const { CHAOS_WORKFLOW_BUNDLE } = BundleEnvSchema.parse(process.env);
  const logger = createLogger(env.LOG_LEVEL, 'chaos-worker');
  installRuntime(logger);
  const temporal = readTemporalConnection();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  const worker = await createStagedReleaseWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    fleet: new DaemonFleetProvider(env.FLEET_URL),
    logger,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
    workflowBundle: { codePath: CHAOS_WORKFLOW_BUNDLE },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  const running = worker.run();
  process.stdout.write(`${READY_MARKER}\n`);
  try {
    await running;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
