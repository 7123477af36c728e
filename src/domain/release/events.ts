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
  | { type: 'planned'; wave0?: number; wave1: number; wave2: number; startAt: number; stageLength: number }
  /** Pre-release validation (wave 0, see validation.ts). */
  | { type: 'validation-skipped'; reason: string }
  | { type: 'validation-empty' }
  | { type: 'validation-started'; version: string; accounts: number }
  | {
      type: 'regression-judged';
      accountId: string;
      version: string;
      baselineVersion: string | null;
      verdict: 'passed' | 'failed';
      summary: string;
    }
  | { type: 'validation-passed'; version: string; regressions: number }
  | { type: 'validation-failed'; version: string; accountId: string; reason: string }
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
  | { type: 'notes-compiled'; target: string; sections: number }
  /** A major release announced an account's maintenance window (new or moved); its swap starts at notBefore at the earliest. */
  | {
      type: 'maintenance-announced';
      accountId: string;
      start: number;
      end: number;
      notBefore: number;
      moved: boolean;
    }
  | { type: 'maintenance-needs-window'; accountId: string; reason: string }
  /** The end of a major release: these accounts never had a usable window and are not released. */
  | { type: 'maintenance-left-out'; accounts: string[] }
  | { type: 'notes-unavailable'; target: string; reason: string }
  /** On-call repair of one account (retryAccount, skipAccount, rollbackAccount). */
  | { type: 'account-retried'; accountId: string; wave: Wave; version: string; reason: string; via: Via }
  | { type: 'account-skipped'; accountId: string; wave: Wave; reason: string; via: Via }
  | { type: 'account-rollback-requested'; accountId: string; wave: Wave; version: string; reason: string; via: Via }
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
  /** The freeze calendar the release read differs from the one it had (names of its rules). */
  | { type: 'freeze-calendar-read'; rules: string[] }
  /** New swaps wait on a freeze (an occurrence of the calendar) until `until`. */
  | { type: 'freeze-entered'; freezeId: string; name: string; until: number }
  | { type: 'freeze-left'; freezeId: string; name: string; by: 'ended' | 'override' | 'wave-stopped' }
  | { type: 'freeze-overridden'; freezeId: string; name: string; until: number; reason: string; via: Via }
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
