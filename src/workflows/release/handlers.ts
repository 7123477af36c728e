/** The release's query and on-call messages, each message both a signal and an update. */
import { ApplicationFailure, setHandler, type SignalDefinition } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { SwapStallReportSchema } from '../../domain/deployment/stalls';
import { describeIssues } from '../../domain/primitives';
import type { Via } from '../../domain/release/events';
import type { ReleaseMessage, ReleaseMessageName } from '../../domain/release/input';
import {
  applyMessage,
  checkMessage,
  MessageRejected,
  parseMessage,
  readAcceptedMessage,
  rejectSignal,
} from '../../domain/release/messages';
import { swapStallReported } from '../../domain/release/stalls';
import { accountsPage, parseAccountsRequest } from '../../domain/release/account-pages';
import { parsePlanRequest, planPage } from '../../domain/plan/page';
import { planOfRelease } from '../../domain/release/plan';
import { releaseNotesView } from '../../domain/release/notes';
import { statusOverview } from '../../domain/release/overview';
import { statusSummary, type ReleaseStatusSummary } from '../../domain/release/view';
import { confirmPatchVersion } from './catalogue';
import * as messages from './messages';
import type { ReleaseRun } from './release-run';

/** Registers the queries and every message. Called before the first await. */
export function installHandlers(run: ReleaseRun): void {
  setHandler(messages.statusQuery, () => statusOverview(run.status));
  // A refused request fails the query alone, with the words of AccountsRequestRefused.
  setHandler(messages.accountsQuery, (request?: unknown) => accountsPage(run.status, parseAccountsRequest(request)));
  // Computed on demand from the status: a plan is never stored, so it never goes stale.
  setHandler(messages.planQuery, (request?: unknown) =>
    planPage(planOfRelease(run.status, run.params.strategy, Date.now()), parsePlanRequest(request)),
  );
  setHandler(messages.releaseNotesQuery, () => releaseNotesView(run.status));
  installMessage(run, 'pause', messages.pauseSignal, messages.pauseUpdate);
  installMessage(run, 'resume', messages.resumeSignal, messages.resumeUpdate);
  installMessage(run, 'patch', messages.patchSignal, messages.patchUpdate);
  installMessage(run, 'abort', messages.abortSignal, messages.abortUpdate);
  installMessage(run, 'reportIssue', messages.reportIssueSignal, messages.reportIssueUpdate);
  installMessage(run, 'retryAccount', messages.retryAccountSignal, messages.retryAccountUpdate);
  installMessage(run, 'skipAccount', messages.skipAccountSignal, messages.skipAccountUpdate);
  installMessage(run, 'rollbackAccount', messages.rollbackAccountSignal, messages.rollbackAccountUpdate);
  installMessage(run, 'overrideFreeze', messages.overrideFreezeSignal, messages.overrideFreezeUpdate);
  setHandler(messages.swapStallSignal, (payload: unknown) => {
    const parsed = SwapStallReportSchema.safeParse(payload);
    const issueAfterMs = run.params.strategy.faults.issueAfter;
    run.apply((status, now) =>
      parsed.success
        ? swapStallReported(status, parsed.data, issueAfterMs, now)
        : rejectSignal(
            status,
            { signal: messages.swapStallSignal.name, reason: describeIssues(parsed.error, 'payload') },
            now,
          ),
    );
  });
}

function installMessage(
  run: ReleaseRun,
  name: ReleaseMessageName,
  // Payloads are checked by zod here, so the definitions' argument types do not matter.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  signal: SignalDefinition<[any]>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<ReleaseStatusSummary, [any]>,
): void {
  const accept = (payload: unknown) => {
    const message = parseMessage(name, payload);
    checkMessage(run.status, message, Date.now());
    return message;
  };
  setHandler(signal, async (payload: unknown) => {
    let message;
    try {
      message = accept(payload);
      await confirmPatchVersion(() => run.status, message);
    } catch (error) {
      run.apply((status, now) => rejectSignal(status, { signal: name, reason: (error as Error).message }, now));
      return;
    }
    await onMessage(run, message, 'signal');
  });
  setHandler(
    update,
    async (payload: unknown) => {
      try {
        // The validator applied the rules (payload and state) before the update was accepted; the
        // handler runs again on every replay, so it only reads the payload's shape: rules edited
        // later must not refuse, on replay, an update that was accepted.
        const message = readAcceptedMessage(name, payload);
        await confirmPatchVersion(() => run.status, message);
        await onMessage(run, message, 'update');
      } catch (error) {
        // An update handler that throws anything but a Temporal failure would fail the workflow task.
        if (error instanceof MessageRejected)
          throw ApplicationFailure.create({ message: error.message, type: error.name });
        throw error;
      }
      return statusSummary(run.status);
    },
    { validator: (payload: unknown) => void accept(payload) },
  );
}

async function onMessage(run: ReleaseRun, message: ReleaseMessage, via: Via): Promise<void> {
  if (message.name === 'retryAccount' || message.name === 'skipAccount' || message.name === 'rollbackAccount') {
    run.repairAccount({ name: message.name, ...message.payload }, via);
    return;
  }
  const events = run.apply((status, now) => applyMessage(status, message, now, via));
  // In-flight swaps hold before their next promotion while the release is paused.
  for (const event of events) {
    if (event.type === 'paused') await run.swaps.holdAll(`release paused: ${event.reason}`);
    if (event.type === 'resumed' && event.unpaused) await run.swaps.releaseAll('release resumed');
  }
}
