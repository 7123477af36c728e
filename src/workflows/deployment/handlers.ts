/** The swap's message handlers: on-call approve/reject (signal and update), hold/release from the release, the status query. */
import { log, setHandler } from '@temporalio/workflow';
import type { Decision } from '../../domain/deployment/status';
import { ApprovalSchema, ApprovalShape, HoldRequestSchema, type Approval } from '../../domain/deployment/swap';
import { decisionRecorded, decisionRefusal, held, released } from '../../domain/deployment/transitions';
import { describeIssues } from '../../domain/primitives';
import {
  approveSignal,
  approveUpdate,
  deploymentStatusQuery,
  holdSignal,
  rejectSignal,
  rejectUpdate,
  releaseSignal,
} from './messages';
import type { SwapRecord } from './record';

export function installHandlers(record: SwapRecord): void {
  setHandler(deploymentStatusQuery, () => record.view());
  for (const [decision, signal, update] of [
    ['approve', approveSignal, approveUpdate],
    ['reject', rejectSignal, rejectUpdate],
  ] as const) {
    installDecision(record, decision, signal, update);
  }
  // The signal's name is the request; a payload that does not parse only loses its reason.
  setHandler(holdSignal, (payload) => {
    record.apply(held, holdReason(payload));
  });
  setHandler(releaseSignal, (payload) => {
    record.apply(released, holdReason(payload));
  });
}

function holdReason(payload: unknown): { reason?: string } {
  const parsed = HoldRequestSchema.safeParse(payload ?? {});
  if (!parsed.success) log.warn(`hold/release payload ignored: ${describeIssues(parsed.error, 'payload')}`);
  return parsed.success && parsed.data.reason ? { reason: parsed.data.reason } : {};
}

/** Accepted only while the swap waits for on-call: the update is refused otherwise, the signal logged and ignored. */
function installDecision(
  record: SwapRecord,
  decision: Decision['decision'],
  signal: typeof approveSignal,
  update: typeof approveUpdate,
): void {
  setHandler(
    update,
    (payload) => {
      // Accepted by the validator; replayed handlers read the shape only, so stricter rules later
      // cannot refuse on replay what was accepted.
      const parsed = ApprovalShape.safeParse(payload ?? {});
      record.apply(decisionRecorded, { decision, ...(parsed.success ? parsed.data : {}) });
      return record.view();
    },
    {
      validator: (payload?: Approval) => {
        parseApproval(payload);
        const refusal = decisionRefusal(record.status, decision);
        if (refusal) throw new Error(refusal);
      },
    },
  );
  setHandler(signal, (payload) => {
    if (decisionRefusal(record.status, decision)) {
      log.warn(`${decision} signal ignored: the swap is not waiting for a decision`, { step: record.status.phase });
      return;
    }
    try {
      record.apply(decisionRecorded, { decision, ...parseApproval(payload) });
    } catch (error) {
      log.warn(`${decision} signal ignored: ${String(error)}`);
    }
  });
}

function parseApproval(payload: unknown): Approval {
  const parsed = ApprovalSchema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid decision: ${describeIssues(parsed.error, 'payload')} (send {"reason"?: string, "by"?: string})`,
  );
}
