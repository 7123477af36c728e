/**
 * Making a worker's build the current version of its Worker Deployment, as `temporal worker
 * deployment set-current-version` does. Used by a worker started with WORKER_SET_CURRENT: `npm
 * start` always (one worker on one machine), `npm run worker` only for the very first build
 * (`if-none`); later builds are made current by the upgrade runbook (README, "Updating the
 * orchestrator"). The version exists once the worker has polled, so this retries until then.
 */
import type { NativeConnection } from '@temporalio/worker';
import type { Logger } from '../logging/logger';

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export type SetCurrentMode = 'always' | 'if-none' | 'never';

/** The build id of the deployment's current version; undefined when it has none (or no deployment yet). */
export async function currentBuildId(
  connection: NativeConnection,
  namespace: string,
  deploymentName: string,
): Promise<string | undefined> {
  try {
    const described = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    const routing = described.workerDeploymentInfo?.routingConfig;
    return routing?.currentDeploymentVersion?.buildId || undefined;
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined; // NOT_FOUND: no worker polled yet
    throw error;
  }
}

export async function makeCurrent(
  connection: NativeConnection,
  namespace: string,
  version: DeploymentVersion,
  mode: SetCurrentMode,
  logger: Logger,
  timeoutMs = 60_000,
): Promise<void> {
  if (mode === 'never') return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await currentBuildId(connection, namespace, version.deploymentName);
    if (current === version.buildId) return;
    if (mode === 'if-none' && current !== undefined) {
      logger.info({ current, buildId: version.buildId }, 'another build is current; follow the upgrade runbook');
      return;
    }
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: `staged-release worker ${version.buildId}`,
      });
      logger.info({ ...version, previous: current ?? null }, 'this build is now the current version');
      return;
    } catch (error) {
      // The version is registered by the worker's first poll; until then the server does not know it.
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
