/**
 * One swap per account at a time, whoever started it: the swap claims its account before it
 * touches anything and releases it at its very end (after a rollback or a cancellation too). While
 * another swap holds the account this one waits its turn, and its status names the holder.
 */
import { CancellationScope, log, patched, workflowInfo } from '@temporalio/workflow';
import type { SwapContext } from '../../domain/deployment/activities';
import type { SwapRef } from '../../domain/deployment/swap';
import { accountBusy, accountClaimed } from '../../domain/deployment/transitions';
import { SLACK_MS, type SwapCalls } from './activity-calls';
import { describeFailure } from './failures';
import type { SwapRecord } from './record';

/** Swaps recorded before claims existed replay without them. */
export const ACCOUNT_CLAIM_PATCH = 'one-swap-per-account';
/** How long one claim activity waits for the holder before the workflow asks again (bounds the history). */
const WAIT_MS = 10 * 60_000;

export class AccountLease {
  private claimed = false;

  constructor(
    private readonly record: SwapRecord,
    private readonly calls: SwapCalls,
    private readonly ctx: SwapContext,
  ) {}

  /** This swap as the claim names it: retries, resets and replays of it are the same holder. */
  private get holder(): SwapRef {
    const { workflowId, firstExecutionRunId } = workflowInfo();
    return { workflowId, runId: firstExecutionRunId };
  }

  /** Returns once this swap holds the account. */
  async claim(): Promise<void> {
    if (!patched(ACCOUNT_CLAIM_PATCH)) return;
    // Released at the end even if the claim is cut short: releasing a claim one does not hold changes nothing.
    this.claimed = true;
    const { accountId } = this.ctx;
    const input = { ...this.ctx, holder: this.holder };
    let answer = await this.calls.run('claimAccount', `claim ${accountId} (one swap per account)`, {
      ...input,
      waitMs: 0,
    });
    while (!answer.granted) {
      this.record.apply(accountBusy, { heldBy: answer.heldBy });
      const summary = `wait for ${answer.heldBy.workflowId} to finish with ${accountId}`;
      const waitInput = { ...input, waitMs: WAIT_MS };
      answer = await this.calls.run('claimAccount', summary, waitInput, WAIT_MS + SLACK_MS, true);
    }
    this.record.apply(accountClaimed, answer.tookOverFrom ? { tookOverFrom: answer.tookOverFrom } : {});
  }

  /** Lets the next swap in; never cancelled, never fails the swap (an ended holder's claim is taken over anyway). */
  async release(): Promise<void> {
    if (!this.claimed) return;
    await CancellationScope.nonCancellable(async () => {
      try {
        const input = { ...this.ctx, holder: this.holder };
        await this.calls.run('releaseAccount', `release ${this.ctx.accountId}`, input);
      } catch (error) {
        log.warn('could not release the account; the next swap takes the claim over', {
          error: describeFailure(error),
        });
      }
    });
  }
}
