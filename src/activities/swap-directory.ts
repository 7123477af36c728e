/**
 * What activities need to know about other swaps, from Temporal itself: whether the swap holding
 * an account still runs, and what a swap that ended early knew (its `status` query answers even
 * after it was terminated). Uses the worker's client from the activity context unless one is given.
 */
import { getClient } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DeploymentStatus, SwapRef } from '../domain/deployment/swap';
import { deploymentStatusQuery } from '../workflows/deployment/messages';

export interface SwapLookup {
  running: boolean;
  /** The `status` answer of the swap's latest run; undefined when it cannot be read. */
  status?: DeploymentStatus;
}

export interface SwapDirectory {
  /** Whether the swap still runs: the latest run of its workflow id is running and belongs to its chain. */
  isRunning(swap: SwapRef): Promise<boolean>;
  /** The latest run of a swap (its status only once it has ended), or undefined when Temporal knows no swap by that id. */
  lookUp(workflowId: string): Promise<SwapLookup | undefined>;
}

export function temporalSwapDirectory(client: () => Client = getClient): SwapDirectory {
  const describe = async (workflowId: string) => {
    try {
      return await client().workflow.getHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  };
  return {
    async isRunning(swap) {
      const latest = await describe(swap.workflowId);
      if (!latest || latest.status.name !== 'RUNNING') return false;
      const firstRunId = latest.raw.workflowExecutionInfo?.firstRunId;
      // A later execution with the same id: the holder's own chain has ended.
      return !firstRunId || firstRunId === swap.runId;
    },
    async lookUp(workflowId) {
      const latest = await describe(workflowId);
      if (!latest) return undefined;
      if (latest.status.name === 'RUNNING') return { running: true };
      const status = await client()
        .workflow.getHandle(workflowId)
        .query(deploymentStatusQuery)
        .catch(() => undefined);
      return { running: false, ...(status ? { status } : {}) };
    },
  };
}
