/**
 * Each workflow type's versioning behaviour (README, "Updating the orchestrator"), declared for
 * versioned workers only: a worker without a Worker Deployment version (the test harness,
 * WORKER_VERSIONING=off) must not send one, or the server refuses every workflow task ("versioning
 * behavior cannot be specified without deployment options being set with versioned mode").
 */
import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';

export function declareVersioning<A extends unknown[], R>(
  behavior: VersioningBehavior,
  workflow: (...args: A) => Promise<R>,
): void {
  setWorkflowOptions(() => (workflowInfo().currentDeploymentVersion ? { versioningBehavior: behavior } : {}), workflow);
}
