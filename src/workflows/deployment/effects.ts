/**
 * What the swap shows of its events: a structured log line for each (with release, account and
 * version), the search attributes they change, and the note under the status in the current details.
 */
import { log, upsertSearchAttributes } from '@temporalio/workflow';
import type { SwapEvent } from '../../domain/deployment/events';
import { describeStall, type SwapStatus } from '../../domain/deployment/status';
import { describeDecider } from '../../domain/deployment/transitions';
import { formatDuration, formatElapsed } from '../../domain/primitives';
import { outcomeAttribute } from '../../domain/deployment/swap';
import { AccountIdKey, DeploymentOutcomeKey, ReleaseIdKey, ReleaseVersionKey } from '../../domain/search-attributes';

type Level = 'debug' | 'info' | 'warn' | 'error';
interface LogLine {
  level: Level;
  message: string;
  attrs?: Record<string, unknown>;
}

/** Upserts the search attributes the event changes. */
export function upsertAttributes(event: SwapEvent): void {
  if (event.type === 'started') {
    upsertSearchAttributes([{ key: DeploymentOutcomeKey, value: outcomeAttribute(event.mode, 'in-progress') }]);
    upsertSearchAttributes([
      { key: AccountIdKey, value: event.accountId },
      { key: ReleaseVersionKey, value: event.version },
      ...(event.releaseId ? [{ key: ReleaseIdKey, value: event.releaseId }] : []),
    ]);
  } else if (event.type === 'finished') {
    upsertSearchAttributes([{ key: DeploymentOutcomeKey, value: event.attribute }]);
  }
}

export function logEvent(event: SwapEvent, status: SwapStatus): void {
  const { level, message, attrs } = logLineOf(event);
  const context = {
    ...(status.releaseId ? { releaseId: status.releaseId } : {}),
    accountId: status.accountId,
    version: status.version,
  };
  log[level](message, { ...context, ...attrs });
}

function logLineOf(event: SwapEvent): LogLine {
  switch (event.type) {
    case 'started':
      return {
        level: 'info',
        message: `${event.mode === 'revert' ? 'revert' : 'swap'} of ${event.accountId} to ${event.version} started`,
      };
    case 'account-claimed':
      return event.tookOverFrom
        ? {
            level: 'warn',
            message: `account claimed, taken over from ${event.tookOverFrom.workflowId}, which has ended without releasing it`,
            attrs: { tookOverFrom: event.tookOverFrom },
          }
        : { level: 'debug', message: 'account claimed' };
    case 'step-started':
      return { level: 'debug', message: `step ${event.step} started` };
    case 'step-finished':
      return { level: 'debug', message: `step ${event.step} finished`, attrs: { durationMs: event.durationMs } };
    case 'account-read':
      return { level: 'debug', message: 'account read', attrs: { fromVersion: event.fromVersion, blue: event.blue } };
    case 'green-provisioned':
      return { level: 'debug', message: 'green provisioned', attrs: { green: event.green } };
    case 'check-reported': {
      const { check, verdict, summary } = event.report;
      return { level: verdict === 'passed' ? 'info' : 'warn', message: `${check} ${verdict}: ${summary}` };
    }
    case 'approval-requested':
      return {
        level: 'warn',
        message: 'validation inconclusive: waiting for an on-call decision',
        attrs: { why: event.why, timeout: event.timeoutMs },
      };
    case 'decision-recorded':
      return { level: 'info', message: `${event.decision.decision} from ${describeDecider(event.decision)}` };
    case 'approval-closed':
      if (!event.decision) return { level: 'warn', message: 'no approve or reject before the deadline' };
      return {
        level: 'info',
        message: `${event.decision.decision === 'approve' ? 'approved' : 'rejected'} by ${describeDecider(event.decision)}`,
      };
    case 'held':
      return { level: 'info', message: 'held by the release', attrs: { reason: event.reason } };
    case 'released':
      return { level: 'info', message: 'no longer held by the release', attrs: { reason: event.reason } };
    case 'waiting':
      switch (event.wait.for) {
        case 'release':
          return { level: 'info', message: `held before ${event.wait.before}` };
        case 'maintenance-window':
          return { level: 'info', message: `waiting for the maintenance window at ${event.wait.start}` };
        case 'account':
          return {
            level: 'info',
            message: `waiting for the account: swap ${event.wait.heldBy.workflowId} holds it`,
            attrs: { heldBy: event.wait.heldBy },
          };
      }
      break;
    case 'stopped':
      return {
        level: 'warn',
        message: `swap stopped at ${event.failedStep}: ${event.reason}`,
        attrs: { compensations: event.compensations },
      };
    case 'traffic-on-blue':
      return { level: 'info', message: 'traffic is back on blue', attrs: { ...event.rollback } };
    case 'stalled':
      return {
        level: event.first ? 'warn' : 'info',
        message: `${event.stall.step} stalled: ${describeStall(event.stall)}`,
        attrs: { activity: event.stall.activity, since: event.stall.since },
      };
    case 'recovered':
      return {
        level: 'info',
        message: `${event.step} recovered after ${formatElapsed(event.stalledForMs)}`,
        attrs: { activity: event.activity },
      };
    case 'blue-drained':
      return event.leftRunning.length
        ? {
            level: 'warn',
            message: 'blue drained; some instances did not stop',
            attrs: { leftBehind: event.leftRunning },
          }
        : { level: 'info', message: 'blue drained and stopped', attrs: { stopped: event.stopped } };
    case 'drain-failed':
      return {
        level: 'error',
        message: `draining blue failed after promotion: ${event.reason}`,
        attrs: { leftBehind: event.leftBehind },
      };
    case 'finished':
      return event.incomplete
        ? { level: 'error', message: event.reason }
        : { level: 'info', message: `swap ${event.outcome}: ${event.reason}` };
  }
}

/**
 * The note shown under the status in the current details after the event: a text, null when the
 * event ends what the previous note described, undefined when it leaves the note as it is.
 */
export function noteAfter(event: SwapEvent, status: SwapStatus): string | null | undefined {
  switch (event.type) {
    case 'step-started':
      return event.step === 'rollback' ? `Rolling back: ${status.reason}` : null;
    case 'approval-requested':
      return `Validation inconclusive (${event.why}). Waiting up to ${formatDuration(event.timeoutMs)} for \`approve\` or \`reject\`.`;
    case 'approval-closed':
    case 'released':
      return null;
    case 'waiting':
      switch (event.wait.for) {
        case 'release':
          return `Held by the release before \`${event.wait.before}\`; waiting for \`release\`.`;
        case 'maintenance-window':
          return `Waiting for the maintenance window (${event.wait.start} to ${event.wait.end}).`;
        case 'account':
          return `Waiting for the account: swap \`${event.wait.heldBy.workflowId}\` (run ${event.wait.heldBy.runId}) holds it; one swap per account at a time.`;
      }
      break;
    case 'account-claimed':
      return null;
    case 'finished':
      if (event.outcome !== 'cancelled') return null;
      return event.incomplete ? event.reason : 'Cancelled; traffic is on blue and green was removed.';
    default:
      return undefined;
  }
}
