/**
 * A release's events as the workflow produces them: one transition after the other, the status
 * given to each frozen (a transition never writes to it), numbered 1, 2, 3, ... across
 * continue-as-new, and the timeline folded from them.
 */
import { carry, readCarried } from '../../../src/domain/release/carried';
import { finishDeployment, judgeWave, startDeployment } from '../../../src/domain/release/deployments';
import { releaseEventId } from '../../../src/domain/release/events';
import {
  applyPendingPatch,
  completeRelease,
  continueInNewRun,
  enterDay,
  enterStage,
  holdRelease,
  liftHold,
} from '../../../src/domain/release/lifecycle';
import { applyMessage, parseMessage, rejectSignal } from '../../../src/domain/release/messages';
import { whatHoldsRelease, type ReleaseStatus } from '../../../src/domain/release/status';
import { timelineEntry } from '../../../src/domain/release/timeline';
import { statusView } from '../../../src/domain/release/view';
import { DAY, deepFreeze, Driver, plannedRelease, T0 } from './support';

/** Every transition gets a frozen status: one that wrote to it would throw. */
class FrozenDriver extends Driver {
  override apply(change: Parameters<Driver['apply']>[0]) {
    return super.apply((status: ReleaseStatus) => change(deepFreeze(status)));
  }
}

function deployWave(driver: Driver, ids: string[], version: string, at: number, outcome: 'promoted' | 'rolled-back') {
  for (const accountId of ids) {
    const wave = accountId === 'hooli' ? 2 : 1;
    driver.apply((s) => startDeployment(s, { accountId, version, revert: false }, at));
    driver.apply((s) =>
      finishDeployment(
        s,
        {
          accountId,
          version,
          revert: false,
          ending: 'result',
          report: { outcome, fromVersion: '2026.46.0', toVersion: version, reason: 'scripted' },
        },
        at + 1,
      ),
    );
    driver.apply((s) => judgeWave(s, { accountId, wave, budget: 0 }, at + 1));
  }
}

test('a release from plan to completion: events numbered one by one across continue-as-new', () => {
  const first = new FrozenDriver(plannedRelease());
  first.apply((s) => enterStage(s, { stage: 'wave-1', detail: '2 account(s) to 2026.47.0' }, T0));
  deployWave(first, ['acme'], '2026.47.0', T0, 'rolled-back');
  first.apply((s) => holdRelease(s, whatHoldsRelease(s), T0 + 2));
  first.apply((s) => rejectSignal(s, { signal: 'patch', reason: 'patch: version: required' }, T0 + 3));
  first.apply((s) => applyMessage(s, parseMessage('patch', { version: '2026.47.1', reason: 'fix' }), T0 + 4, 'update'));
  first.apply((s) => liftHold(s, T0 + 4));
  first.apply((s) => continueInNewRun(s, { historyLength: 7000 }, T0 + 5));

  // The next run starts from the carried status, as plain data.
  const second = new FrozenDriver(readCarried(JSON.parse(JSON.stringify(carry(first.status)))));
  second.apply((s) => enterStage(s, { stage: 'bake' }, T0 + 6));
  second.apply((s) => enterDay(s, 2, T0 + DAY));
  second.apply((s) => applyPendingPatch(s, T0 + DAY));
  second.apply((s) => enterStage(s, { stage: 'patch-wave-1' }, T0 + DAY));
  deployWave(second, ['acme', 'globex'], '2026.47.1', T0 + DAY, 'promoted');
  second.apply((s) => enterDay(s, 3, T0 + 2 * DAY));
  second.apply((s) => enterStage(s, { stage: 'wave-2' }, T0 + 2 * DAY));
  deployWave(second, ['hooli'], '2026.47.1', T0 + 2 * DAY, 'promoted');
  second.apply((s) => completeRelease(s, T0 + 2 * DAY + 2));

  const events = [{ seq: 1, type: 'planned' }, ...first.events, ...second.events];
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(second.status.lastSeq).toBe(events.length);
  expect(releaseEventId('2026-47', second.events.at(-1)!)).toBe(`2026-47/${events.length}`);
  expect(events.map((e) => e.type)).toEqual([
    'planned',
    'stage-entered',
    'deployment-started',
    'deployment-finished',
    'issue-opened',
    'wave-halted',
    'stage-entered',
    'held',
    'signal-rejected',
    'patch-given',
    'hold-lifted',
    'continued-as-new',
    'stage-entered',
    'day-changed',
    'patch-applied',
    'issue-closed',
    'stage-entered',
    'deployment-started',
    'deployment-finished',
    'deployment-started',
    'deployment-finished',
    'day-changed',
    'stage-entered',
    'deployment-started',
    'deployment-finished',
    'stage-entered',
    'completed',
  ]);

  // The timeline is what the events say in words, in order.
  const view = statusView(second.status);
  const fromEvents = [...first.events, ...second.events].flatMap((e) => timelineEntry(e)?.event ?? []);
  expect(view.timeline.map((e) => e.event)).toEqual(['planned', ...fromEvents]);
  expect(view.timeline.map((e) => e.event)).toEqual([
    'planned',
    'stage wave-1',
    'acme rolled-back',
    'issue #1 opened (automated)',
    'stage held',
    'signal patch rejected',
    'patch 2026.47.1 given (update)',
    'stage bake',
    'patch 2026.47.1 is the target',
    'stage patch-wave-1',
    'stage wave-2',
    'stage completed',
  ]);
  expect(view).toMatchObject({
    stage: 'completed',
    targetVersion: '2026.47.1',
    runs: 2,
    openIssues: [],
    waves: { wave1: { promoted: 2 }, wave2: { promoted: 1 } },
  });
});
