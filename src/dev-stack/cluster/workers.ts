import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Logger } from '../../logging/logger';
import { startManagedProcess, waitUntilServing, type ManagedProcess } from '../child-process';
import { REPO_ROOT } from '../tool-scripts';

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  fleetUrl: string;
  /** The fleet's bearer token; unset when the fleet has none. */
  fleetToken?: string;
  logLevel: string;
}

/** Worker `n` (from 1) as its own OS process: src/worker.ts, configured by the environment as in docker-compose.yml. */
export function startWorkerProcess(n: number, settings: WorkerSettings, logger: Logger): ManagedProcess {
  return startManagedProcess(
    `worker-${n}`,
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'worker.ts')],
    logger,
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: settings.address,
        TEMPORAL_NAMESPACE: settings.namespace,
        TEMPORAL_TASK_QUEUE: settings.taskQueue,
        FLEET_URL: settings.fleetUrl,
        FLEET_TOKEN: settings.fleetToken ?? '',
        LOG_LEVEL: settings.logLevel,
        // Several workers on one machine would share one metrics port: a worker of its own opts in.
        WORKER_METRICS_PORT: '0',
      },
    },
  );
}

/** Waits until every given worker process polls the task queue for workflow and activity tasks. */
export async function waitForPollers(workers: ManagedProcess[], settings: WorkerSettings): Promise<void> {
  const connection = await Connection.connect({ address: settings.address });
  try {
    const pollingPids = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: settings.namespace,
        taskQueue: { name: settings.taskQueue },
        taskQueueType,
      });
      // The SDK's default identity is <pid>@<host>.
      return new Set((pollers ?? []).map((poller) => Number(poller.identity?.split('@')[0])));
    };
    for (const worker of workers) {
      await waitUntilServing(
        worker,
        `${worker.name} polling task queue ${settings.taskQueue}`,
        async () => {
          const types = temporal.api.enums.v1.TaskQueueType;
          const [workflow, activity] = await Promise.all([
            pollingPids(types.TASK_QUEUE_TYPE_WORKFLOW),
            pollingPids(types.TASK_QUEUE_TYPE_ACTIVITY),
          ]);
          return workflow.has(worker.child.pid ?? -1) && activity.has(worker.child.pid ?? -1);
        },
        180_000,
      );
    }
  } finally {
    await connection.close();
  }
}
