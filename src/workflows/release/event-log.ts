/**
 * Structured log lines for a release's events: each carries the release, its version and stage,
 * and the event's seq. Swaps that start or succeed are not logged one by one: a release may run
 * thousands, each swap logs its own steps, and every workflow log line costs the release's worker
 * a sink call; the wave table counts them, and any swap that does not succeed is logged.
 */
import { log } from '@temporalio/workflow';
import type { ReleaseEvent } from '../../domain/release/events';
import type { ReleaseStatus } from '../../domain/release/status';

type Level = 'info' | 'warn';
type Line = [Level, string, Record<string, unknown>?] | undefined;

function lineFor(event: ReleaseEvent): Line {
  switch (event.type) {
    case 'planned':
      return ['info', 'release planned', { wave0: event.wave0, wave1: event.wave1, wave2: event.wave2 }];
    case 'validation-skipped':
      return ['warn', 'pre-release validation skipped', { reason: event.reason }];
    case 'validation-empty':
      return ['info', 'pre-release validation empty: no internal accounts'];
    case 'validation-started':
      return ['info', 'pre-release validation started', { validating: event.version, accounts: event.accounts }];
    case 'regression-judged':
      return [
        event.verdict === 'passed' ? 'info' : 'warn',
        `regression run ${event.verdict}`,
        { accountId: event.accountId, baseline: event.baselineVersion, summary: event.summary },
      ];
    case 'validation-passed':
      return ['info', 'pre-release validation passed', { validated: event.version }];
    case 'validation-failed':
      return ['warn', 'pre-release validation failed', { accountId: event.accountId, reason: event.reason }];
    case 'stage-entered':
      return ['info', `release stage ${event.stage}`, { from: event.from, detail: event.detail }];
    case 'day-changed':
      return ['info', `release day ${event.day}`];
    case 'paused':
      return ['info', 'pause accepted', { via: event.via, reason: event.reason }];
    case 'resumed':
      return ['info', 'resume accepted', { via: event.via, reason: event.reason, issuesClosed: event.issuesClosed }];
    case 'patch-given':
      return ['info', 'patch accepted', { via: event.via, patch: event.version, reason: event.reason }];
    case 'abort-requested':
      return ['warn', 'abort accepted', { via: event.via, reason: event.reason, rollback: event.rollback }];
    case 'patch-applied':
      return ['info', 'patch is the new target', { previousTarget: event.previousTarget }];
    case 'issue-opened':
      return ['warn', 'issue opened', { issueId: event.issueId, source: event.source, summary: event.summary }];
    case 'issue-closed':
      return ['info', 'issue closed', { issueId: event.issueId, by: event.by }];
    case 'wave-halted':
      return ['warn', 'wave halted', { wave: event.wave, failures: event.failures, budget: event.budget }];
    case 'held':
      return ['warn', 'release held', { reason: event.reason }];
    case 'hold-lifted':
      return ['info', 'hold lifted', { by: event.by }];
    case 'deployment-started':
      return undefined;
    case 'deployment-finished':
      if (event.outcome === 'promoted' || event.outcome === 'reverted') return undefined;
      return [
        'warn',
        'account deployment finished',
        {
          accountId: event.accountId,
          version: event.version,
          wave: event.wave,
          outcome: event.outcome,
          reason: event.reason,
          revert: event.revert,
        },
      ];
    case 'signal-rejected':
      return ['warn', 'signal rejected', { signal: event.signal, reason: event.reason }];
    case 'maintenance-announced':
      return ['info', 'maintenance announced', { accountId: event.accountId, start: event.start, end: event.end }];
    case 'maintenance-left-out':
      return ['warn', 'accounts not released: no usable maintenance window', { accounts: event.accounts.length }];
    case 'maintenance-needs-window':
      return ['warn', 'account needs a maintenance window', { accountId: event.accountId, reason: event.reason }];
    case 'notes-compiled':
      return ['info', 'release notes compiled', { target: event.target, sections: event.sections }];
    case 'notes-unavailable':
      return ['warn', 'release notes unavailable', { target: event.target, reason: event.reason }];
    case 'account-retried':
    case 'account-skipped':
    case 'account-rollback-requested':
      return ['info', event.type, { accountId: event.accountId, reason: event.reason, via: event.via }];
    case 'account-reconciled':
      return [
        'warn',
        `account reconciled: ${event.detail}`,
        { accountId: event.accountId, action: event.action, serving: event.serving, removed: event.removed },
      ];
    case 'swap-stalled':
      return [
        'warn',
        'swap stalled',
        { accountId: event.accountId, step: event.step, cause: event.cause, detail: event.detail },
      ];
    case 'swap-recovered':
      return [
        'info',
        'swap recovered',
        { accountId: event.accountId, step: event.step, stalledForMs: event.stalledForMs },
      ];
    case 'stall-cleared':
      return ['info', 'stalled swaps recovered: new swaps start again', { issueId: event.issueId }];
    case 'release-stalled':
      return ['warn', `${event.step} stalled`, { cause: event.cause, detail: event.detail }];
    case 'release-recovered':
      return ['info', `${event.step} recovered`, { stalledForMs: event.stalledForMs }];
    case 'completed':
      return ['info', 'release completed', { promoted: event.promoted, total: event.total }];
    case 'aborted':
      return [
        'warn',
        'release aborted',
        { reason: event.reason, rollback: event.rollback, notReleased: event.notReleased },
      ];
    case 'continued-as-new':
      return ['info', 'continuing as new', { run: event.run, historyLength: event.historyLength }];
    case 'freeze-calendar-read':
      return ['info', 'freeze calendar read', { freezes: event.rules }];
    case 'freeze-entered':
      return [
        'info',
        `waiting: freeze "${event.name}" until ${new Date(event.until).toISOString()}`,
        { freezeId: event.freezeId },
      ];
    case 'freeze-left':
      return ['info', `no longer waiting on freeze "${event.name}"`, { freezeId: event.freezeId, by: event.by }];
    case 'freeze-overridden':
      return [
        'warn',
        `overrideFreeze accepted: freeze "${event.name}"`,
        { freezeId: event.freezeId, via: event.via, reason: event.reason },
      ];
  }
}

export function logEvents(status: ReleaseStatus, events: readonly ReleaseEvent[]): void {
  for (const event of events) {
    const line = lineFor(event);
    if (!line) continue;
    const [level, message, fields] = line;
    log[level](message, {
      releaseId: status.releaseId,
      version: status.targetVersion,
      stage: status.stage,
      seq: event.seq,
      ...fields,
    });
  }
}
