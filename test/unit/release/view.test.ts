import { applyMessage, parseMessage } from '../../../src/domain/release/messages';
import { enterStage, applyPendingPatch } from '../../../src/domain/release/lifecycle';
import {
  releaseSearchAttributes,
  sameSearchAttributes,
  searchAttributePairs,
} from '../../../src/domain/release/search-attributes';
import { statusSummary, statusView } from '../../../src/domain/release/view';
import { plannedRelease, T0 } from './support';

describe('what clients see', () => {
  test('the summary is the view without the accounts; unset fields are left out, times are ISO', () => {
    const status = applyMessage(
      plannedRelease(),
      parseMessage('abort', { reason: 'bad build', rollback: true }),
      T0 + 1000,
      'update',
    ).status;
    const { accounts, ...rest } = statusView(status);
    expect(Object.keys(accounts)).toEqual(['acme', 'globex', 'hooli']);
    const summary = statusSummary(status);
    expect(summary).toEqual(rest);
    expect(summary).not.toHaveProperty('accounts');
    expect(summary).not.toHaveProperty('pauseReason');
    expect(summary).not.toHaveProperty('finishedAt');
    expect(summary.abort).toEqual({ reason: 'bad build', rollback: true, at: '2026-11-23T09:00:01.000Z' });
    expect(summary.startedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(summary.schedule).toEqual({
      startAt: '2026-11-23T09:00:00.000Z',
      stageLength: '1 day',
      stageLengthMs: 86_400_000,
      day2At: '2026-11-24T09:00:00.000Z',
      day3At: '2026-11-25T09:00:00.000Z',
      waveTwoNotBefore: '2026-11-25T09:00:00.000Z',
    });
  });

  test('search attributes follow the stage and the target, and change only when one of them does', () => {
    let status = plannedRelease();
    const planned = releaseSearchAttributes(status);
    expect(planned).toEqual({ ReleaseId: '2026-47', ReleaseVersion: '2026.47.0', ReleaseStage: 'scheduled' });
    status = applyMessage(status, parseMessage('pause', { reason: 'x' }), T0, 'update').status;
    expect(sameSearchAttributes(planned, releaseSearchAttributes(status))).toBe(true);
    status = enterStage(status, { stage: 'held' }, T0).status;
    expect(sameSearchAttributes(planned, releaseSearchAttributes(status))).toBe(false);
    status = applyMessage(status, parseMessage('patch', { version: '2026.47.1', reason: 'x' }), T0, 'update').status;
    status = applyPendingPatch(status, T0).status;
    expect(searchAttributePairs(releaseSearchAttributes(status)).map((p) => [p.key.name, p.value])).toEqual([
      ['ReleaseId', '2026-47'],
      ['ReleaseVersion', '2026.47.1'],
      ['ReleaseStage', 'held'],
    ]);
  });
});
