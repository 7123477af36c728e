import { startDeployment } from '../../../src/domain/release/deployments';
import {
  completeRelease,
  continueInNewRun,
  enterDay,
  enterStage,
  finishAborted,
  holdRelease,
  liftHold,
  planRelease,
} from '../../../src/domain/release/lifecycle';
import { applyMessage, parseMessage } from '../../../src/domain/release/messages';
import { newReleaseStatus } from '../../../src/domain/release/status';
import { statusView } from '../../../src/domain/release/view';
import { DAY, deepFreeze, Driver, plannedRelease, T0, THREE_ACCOUNTS } from './support';

const types = (events: Array<{ type: string }>) => events.map((e) => e.type);

describe('release lifecycle transitions', () => {
  test('planning gives the release its waves and keeps what messages changed meanwhile', () => {
    const planning = newReleaseStatus({
      releaseId: '2026-47',
      version: '2026.47.0',
      kind: 'minor',
      notes: ['faster'],
      schedule: { startAt: T0, stageLength: 20_000 },
      now: T0 - 5,
    });
    expect(statusView(planning)).toMatchObject({ stage: 'planning', timeline: [], accounts: {} });
    const driver = new Driver(planning);
    driver.apply((s) => applyMessage(s, parseMessage('pause', { reason: 'wait' }), T0 - 4, 'signal'));
    driver.apply((s) =>
      applyMessage(s, parseMessage('patch', { version: '2026.47.1', reason: 'fix' }), T0 - 3, 'update'),
    );
    const events = driver.apply((s) => planRelease(s, { accounts: THREE_ACCOUNTS }, T0 - 1));
    expect(events).toEqual([
      { type: 'planned', wave1: 2, wave2: 1, startAt: T0, stageLength: 20_000, seq: 3, at: T0 - 1 },
    ]);
    const view = statusView(driver.status);
    expect(view).toMatchObject({
      stage: 'scheduled',
      paused: true,
      pauseReason: 'wait',
      pendingPatch: { version: '2026.47.1' },
      targetVersion: '2026.47.0',
      waves: { wave1: { total: 2, pending: 2 }, wave2: { total: 1 } },
    });
    expect(view.timeline.map((e) => e.event)).toEqual(['paused (signal)', 'patch 2026.47.1 given (update)', 'planned']);
    expect(view.timeline[2].detail).toBe(
      '2 early-access account(s) in wave 1, 1 in wave 2; Day 1 at 2026-11-23T09:00:00.000Z, stage length 20s',
    );
  });

  test('a stage is entered once; leaving `held` forgets why it was held', () => {
    const status = deepFreeze(plannedRelease());
    expect(enterStage(status, { stage: 'scheduled' }, T0)).toEqual({ status, events: [] });
    const held = holdRelease(status, 'wave 1 failure budget (0) exceeded', T0 + 1);
    expect(types(held.events)).toEqual(['stage-entered', 'held']);
    expect(held.status).toMatchObject({ stage: 'held', holdReason: 'wave 1 failure budget (0) exceeded' });
    expect(statusView(held.status).timeline.at(-1)).toMatchObject({
      event: 'stage held',
      detail: 'wave 1 failure budget (0) exceeded',
    });
    // Held again (another reason) while held: the reason changes, the stage is not entered again.
    const again = holdRelease(deepFreeze(held.status), '1 open issue(s) and no patch', T0 + 2);
    expect(types(again.events)).toEqual(['held']);
    expect(again.status.holdReason).toBe('1 open issue(s) and no patch');
    const baking = enterStage(deepFreeze(again.status), { stage: 'bake' }, T0 + 3);
    expect(baking.events[0]).toMatchObject({ type: 'stage-entered', stage: 'bake', from: 'held' });
    expect(baking.status.holdReason).toBeUndefined();
  });

  test('a hold is lifted by a patch or by a resume', () => {
    const held = holdRelease(plannedRelease(), 'issue', T0).status;
    expect(liftHold(held, T0 + 1)).toMatchObject({ status: { holdReason: undefined }, events: [{ by: 'resume' }] });
    const patched = { ...held, pendingPatch: { version: '2026.47.1', reason: 'fix', at: T0 } };
    // planned (1), stage held (2), held (3), then the lift.
    expect(liftHold(patched, T0 + 1).events).toEqual([{ type: 'hold-lifted', by: 'patch', seq: 4, at: T0 + 1 }]);
  });

  test('days move forward once each', () => {
    const day2 = enterDay(plannedRelease(), 2, T0 + DAY);
    expect(day2.status.day).toBe(2);
    expect(day2.events).toMatchObject([{ type: 'day-changed', day: 2 }]);
    expect(enterDay(day2.status, 2, T0 + DAY).events).toEqual([]);
  });

  test('a completed release says how many accounts got the target', () => {
    const { status, events } = completeRelease(deepFreeze(plannedRelease()), T0 + 3 * DAY);
    expect(types(events)).toEqual(['stage-entered', 'completed']);
    expect(events[1]).toMatchObject({ promoted: 0, total: 3 });
    const view = statusView(status);
    expect(view).toMatchObject({ stage: 'completed', finishedAt: new Date(T0 + 3 * DAY).toISOString() });
    expect(view.timeline.at(-1)).toMatchObject({
      event: 'stage completed',
      detail: '0 of 3 account(s) on 2026.47.0; 3 rolled back, failed or not released',
    });
  });

  test('an aborted release ends with the accounts that never got their turn not released', () => {
    expect(() => finishAborted(plannedRelease(), T0)).toThrow(/was not aborted/);
    const started = startDeployment(
      plannedRelease(),
      { accountId: 'acme', version: '2026.47.0', revert: false },
      T0,
    ).status;
    const aborting = applyMessage(started, parseMessage('abort', { reason: 'bad build' }), T0 + 1, 'update').status;
    const { status, events } = finishAborted(deepFreeze(aborting), T0 + 2);
    expect(types(events)).toEqual(['stage-entered', 'aborted']);
    expect(events[1]).toMatchObject({ reason: 'bad build', rollback: false, notReleased: 2 });
    const view = statusView(status);
    expect(view.stage).toBe('aborted');
    expect(view.accounts.globex).toMatchObject({
      outcome: 'not-released',
      reason: "release aborted before this account's turn: bad build",
    });
    expect(view.accounts.acme.state).toBe('deploying');
  });

  test('a new run counts itself', () => {
    const { status, events } = continueInNewRun(plannedRelease(), { historyLength: 6990 }, T0);
    expect(status.runs).toBe(2);
    expect(events).toMatchObject([{ type: 'continued-as-new', run: 2, historyLength: 6990 }]);
  });
});
