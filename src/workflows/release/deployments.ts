/**
 * Runs account deployments (`blueGreenDeployment` children), at most `concurrency` at once. Stops
 * starting new ones when the wave may not go on, while paused, or when the run's history is getting
 * long; in-flight swaps always finish (or, on abort, are cancelled and run their compensations).
 */
import { CancellationScope, condition, isCancellation, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { deploymentWorkflowId, type BlueGreenInput, type DeploymentResult } from '../../domain/deployment/swap';
import { recordDeploymentEnded, recordDeploymentResult, recordDeploymentStarted } from '../../domain/release/status';
import { ReleaseAborted, signalChild, type ReleaseRun } from './release-run';

export const DEPLOYMENT_WORKFLOW_TYPE = 'blueGreenDeployment';
type BlueGreenWorkflow = (input: BlueGreenInput) => Promise<DeploymentResult>;

export interface DeploymentBatch {
  /** Accounts to deploy, in order. */
  accountIds: string[];
  versionFor(accountId: string): string;
  concurrency: number;
  /** Checked before every start; when false, the batch stops once in-flight swaps finish. */
  mayStart(): boolean;
  /** Reverts run during an abort and must not be cancelled by it. */
  revert?: boolean;
  /** Called after each account's deployment ended (result recorded). */
  afterEach?(accountId: string): void;
  summary(accountId: string, version: string): string;
}

/** 'done' when every account ran; 'stopped' when mayStart() turned false. Throws ReleaseAborted on abort. */
export async function runDeployments(run: ReleaseRun, batch: DeploymentBatch): Promise<'done' | 'stopped'> {
  const scope = new CancellationScope();
  const cancelOnAbort = !batch.revert;
  let next = 0;
  let cancelled = false;
  const { running } = run;

  const canStart = () =>
    next < batch.accountIds.length &&
    running.size < batch.concurrency &&
    !run.status.paused &&
    !(cancelOnAbort && run.aborted) &&
    batch.mayStart() &&
    !run.historyFull(running.size);

  for (;;) {
    while (canStart()) start(batch.accountIds[next++]);
    if (cancelOnAbort && run.aborted && !cancelled) {
      cancelled = true;
      scope.cancel();
    }
    if (running.size === 0) {
      if (cancelOnAbort && run.aborted) throw new ReleaseAborted(run.status.abort!.reason);
      if (next >= batch.accountIds.length) return 'done';
      if (!batch.mayStart()) return 'stopped';
      // The history is long and nothing is in flight: carry on in a fresh run (a pause carries over).
      if (run.historyFull(0)) await run.continueAsNew();
    }
    run.refreshDetails();
    const inFlight = running.size;
    await condition(
      () =>
        running.size < inFlight ||
        canStart() ||
        (cancelOnAbort && run.aborted && !cancelled) ||
        (running.size === 0 && (!batch.mayStart() || run.historyFull(0))),
    );
  }

  function start(accountId: string): void {
    const version = batch.versionFor(accountId);
    recordDeploymentStarted(run.status, accountId, version, batch.revert);
    running.set(accountId, null);
    void scope.run(() => deploy(accountId, version));
  }

  async function deploy(accountId: string, version: string): Promise<void> {
    try {
      const child = await startChild<BlueGreenWorkflow>(DEPLOYMENT_WORKFLOW_TYPE, {
        workflowId: deploymentWorkflowId(accountId, version, run.status.releaseId),
        // The strategy as the user wrote it (the child applies the same defaults); keeps history small.
        args: [
          {
            accountId,
            version,
            kind: run.params.kind,
            releaseId: run.status.releaseId,
            strategy: run.input.strategy ?? {},
          },
        ],
        staticSummary: batch.summary(accountId, version),
        // If the release itself is terminated, its swaps still roll back cleanly.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      running.set(accountId, child);
      if (run.status.paused) await signalChild(child, 'hold', `release paused: ${run.status.pauseReason ?? ''}`);
      const result = await child.result();
      recordDeploymentResult(run.status, accountId, result, Date.now(), batch.revert);
    } catch (error) {
      const what = batch.revert ? `rollback to ${version}` : 'deployment';
      if (isCancellation(error)) {
        const reason = batch.revert
          ? `${what} cancelled: release aborted (${run.status.abort?.reason ?? ''})`
          : `cancelled: release aborted (${run.status.abort?.reason ?? ''}); the swap rolled back`;
        recordDeploymentEnded(run.status, accountId, 'cancelled', reason, Date.now(), batch.revert);
      } else {
        const reason =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        recordDeploymentEnded(run.status, accountId, 'failed', `${what} failed: ${reason}`, Date.now(), batch.revert);
      }
    } finally {
      running.delete(accountId);
      batch.afterEach?.(accountId);
    }
  }
}
