/**
 * What happened to a release, one small typed event per fact. Every transition of the status
 * returns the events it produced; the timeline, the logs and (later) notifications are derived
 * from them. `seq` counts the release's events from 1, one by one, across continue-as-new, so
 * `<releaseId>/<seq>` names an event for good and a replay gives the same numbers.
 */
import type { AccountOutcome } from './accounts';
import type { ReleaseStage } from './input';
import type { ReconcileAction } from './reconcile';
import type { Wave } from './waves';

export type Via = 'signal' | 'update';
export type IssueSource = 'automated' | 'on-call';

/** A check that did not pass, with its figures (clipped: see deployments.ts). */
export interface CheckEvidence {
  check: string;
  verdict: string;
  summary: string;
  evidence: Record<string, unknown>;
}

export type ReleaseEventBody =
  | { type: 'planned'; wave1: number; wave2: number; startAt: number; stageLength: number }
  | { type: 'stage-entered'; stage: ReleaseStage; from: ReleaseStage; detail?: string }
  | { type: 'day-changed'; day: 1 | 2 | 3 }
  | { type: 'paused'; reason: string; via: Via }
  | { type: 'resumed'; reason?: string; via: Via; unpaused: boolean; issuesClosed: number; haltCleared: boolean }
  | { type: 'patch-given'; version: string; reason: string; via: Via }
  /** The pending patch became the version accounts get. */
  | { type: 'patch-applied'; version: string; previousTarget: string; reason: string }
  | { type: 'issue-opened'; issueId: number; source: IssueSource; summary: string; accounts?: string[] }
  | { type: 'issue-closed'; issueId: number; by: string }
  | { type: 'wave-halted'; wave: Wave; reason: string; failures: number; budget: number }
  | { type: 'held'; reason: string }
  | { type: 'hold-lifted'; by: 'patch' | 'resume' }
  | { type: 'deployment-started'; accountId: string; wave: Wave; version: string; revert: boolean }
  | {
      type: 'deployment-finished';
      accountId: string;
      wave: Wave;
      /** The version the swap went to. */
      version: string;
      /** How the swap ended: with its result, cancelled, or the child workflow itself failed. */
      ending: 'result' | 'cancelled' | 'failed';
      /** The version the account ran before the swap, as the swap reported it (result only). */
      fromVersion?: string | null;
      outcome: AccountOutcome;
      reason?: string;
      revert: boolean;
      /** What the checks that did not pass found (rolled-back or failed swaps with a result only). */
      evidence?: CheckEvidence[];
    }
  /** Before an abort's rollback: what the fleet says of an account whose swap ended half-way, and what is done. */
  | {
      type: 'account-reconciled';
      accountId: string;
      wave: Wave;
      action: ReconcileAction;
      serving: string | null;
      /** Leftover instances of the swap removed. */
      removed: number;
      detail: string;
    }
  | { type: 'signal-rejected'; signal: string; reason: string }
  /** A swap could not make progress for its step's whole time budget (it retries; nothing rolls back). */
  | {
      type: 'swap-stalled';
      accountId: string;
      version: string;
      step: string;
      since: number;
      cause: string;
      detail: string;
    }
  | { type: 'swap-recovered'; accountId: string; step: string; stalledForMs: number }
  /** Every stalled swap recovered: their issue closed and new swaps start again. */
  | { type: 'stall-cleared'; issueId: number }
  | { type: 'release-stalled'; step: string; since: number; cause: string; detail: string }
  | { type: 'release-recovered'; step: string; stalledForMs: number }
  | { type: 'abort-requested'; reason: string; rollback: boolean; via: Via }
  | { type: 'completed'; promoted: number; total: number }
  | { type: 'aborted'; reason: string; rollback: boolean; notReleased: number }
  | { type: 'continued-as-new'; run: number; historyLength: number };

export type ReleaseEventType = ReleaseEventBody['type'];

export interface EventStamp {
  /** 1 for the release's first event, then one more for each. */
  seq: number;
  /** Epoch ms. */
  at: number;
}

export type ReleaseEvent = ReleaseEventBody & EventStamp;

/** The stable id of an event: what a notification of it is keyed by. */
export function releaseEventId(releaseId: string, event: EventStamp): string {
  return `${releaseId}/${event.seq}`;
}
