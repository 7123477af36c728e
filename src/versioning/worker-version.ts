/**
 * What a versioned worker needs before it starts: the workflow bundle (built once, so its hash can
 * name the build) and the Worker Deployment version it polls as.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import type { AppEnv } from '../config/env';
import type { Logger } from '../logging/logger';
import { resolveBuildId } from './build-id';
import type { DeploymentVersion } from './current-version';

export interface PreparedWorker {
  workflowBundle: { code: string };
  /** Undefined with WORKER_VERSIONING=off. */
  deployment?: DeploymentVersion;
}

export async function prepareWorker(
  env: AppEnv,
  paths: { workflowsPath: string; repoDir: string },
  logger: Logger,
): Promise<PreparedWorker> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: paths.workflowsPath,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
  if (env.WORKER_VERSIONING === 'off') return { workflowBundle };
  const buildId = resolveBuildId({ buildId: env.BUILD_ID, repoDir: paths.repoDir, bundleCode: workflowBundle.code });
  return { workflowBundle, deployment: { deploymentName: env.TEMPORAL_DEPLOYMENT_NAME, buildId } };
}
