/**
 * Typed client side of `blueGreenDeployment` (one account's swap): start one, find it by account
 * and version, read its `status`, and send the on-call decision on an inconclusive validation
 * (`approve` / `reject`, each as an update that answers the new status or is rejected with the
 * current step, or as a signal). `hold` / `release` are what the parent release sends on
 * pause/resume; they are here for tools and tests that stand in for the release.
 */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  deploymentWorkflowId,
  type Approval,
  type BlueGreenInput,
  type DeploymentStatus,
} from '../domain/deployment/swap';
import { blueGreenDeployment } from '../workflows/deployment';
import {
  approveSignal,
  approveUpdate,
  deploymentStatusQuery,
  holdSignal,
  rejectSignal,
  rejectUpdate,
  releaseSignal,
  type HoldRequest,
} from '../workflows/deployment/messages';

export type SwapHandle = WorkflowHandle<typeof blueGreenDeployment>;
/** A swap just started: also knows the first run of its chain (what an account's claim names). */
export type StartedSwap = WorkflowHandleWithFirstExecutionRunId<typeof blueGreenDeployment>;

export interface StartSwapOptions {
  taskQueue: string;
  /** Default `deploy-<accountId>/<version>`, or `release-<releaseId>/<accountId>/<version>` within a release. */
  workflowId?: string;
}

export interface SwapKey {
  accountId: string;
  version: string;
  releaseId?: string;
}

export function start(client: Client, input: BlueGreenInput, options: StartSwapOptions): Promise<StartedSwap> {
  return client.workflow.start(blueGreenDeployment, {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId ?? deploymentWorkflowId(input.accountId, input.version, input.releaseId),
    args: [input],
  });
}

/** The swap of `accountId` to `version` (within `releaseId` when given); its latest run unless runId is given. */
export function getHandle(client: Client, key: SwapKey, runId?: string): SwapHandle {
  return client.workflow.getHandle<typeof blueGreenDeployment>(
    deploymentWorkflowId(key.accountId, key.version, key.releaseId),
    runId,
  );
}

/** The current step, the checks and their evidence so far. */
export function status(handle: SwapHandle): Promise<DeploymentStatus> {
  return handle.query(deploymentStatusQuery);
}

export const update = {
  approve: (handle: SwapHandle, approval: Approval = {}): Promise<DeploymentStatus> =>
    handle.executeUpdate(approveUpdate, { args: [approval] }),
  reject: (handle: SwapHandle, approval: Approval = {}): Promise<DeploymentStatus> =>
    handle.executeUpdate(rejectUpdate, { args: [approval] }),
};

export const signal = {
  approve: (handle: SwapHandle, approval: Approval = {}): Promise<void> => handle.signal(approveSignal, approval),
  reject: (handle: SwapHandle, approval: Approval = {}): Promise<void> => handle.signal(rejectSignal, approval),
  hold: (handle: SwapHandle, request: HoldRequest = {}): Promise<void> => handle.signal(holdSignal, request),
  release: (handle: SwapHandle, request: HoldRequest = {}): Promise<void> => handle.signal(releaseSignal, request),
};
