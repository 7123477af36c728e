/** What a swap that runs as a child of a release tells it: that it stalled, and that it recovered. */
import { getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import type { SwapStallReport } from '../../domain/deployment/stalls';
import { swapStallSignal } from '../release/swap-stall-signal';

/** Signals the parent release, if there is one; a release that is gone does not stop the swap. */
export async function tellRelease(report: SwapStallReport): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(swapStallSignal, report);
  } catch (error) {
    log.warn('could not tell the release about the stall', { accountId: report.accountId, error: String(error) });
  }
}
