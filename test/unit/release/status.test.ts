import { accountsToDeploy, markNotReleased, waveFailures } from '../../../src/domain/release/accounts';
import { finishDeployment, startDeployment, type DeploymentReport } from '../../../src/domain/release/deployments';
import { renderWaveTable } from '../../../src/domain/release/details';
import { openIssue } from '../../../src/domain/release/issues';
import { applyPendingPatch } from '../../../src/domain/release/lifecycle';
import { rejectSignal } from '../../../src/domain/release/messages';
import type { ReleaseStatus } from '../../../src/domain/release/status';
import { TIMELINE_LIMIT } from '../../../src/domain/release/timeline';
import { statusSummary, statusView } from '../../../src/domain/release/view';
import { Driver, plannedRelease, T0 } from './support';

const release = plannedRelease;

/** A whole swap of one account: started, then finished with the report. */
function deploy(status: ReleaseStatus, accountId: string, report: Omit<DeploymentReport, 'toVersion'>, now = T0) {
  const swap = { accountId, version: '2026.47.0', revert: false };
  const started = startDeployment(status, swap, now).status;
  return finishDeployment(started, { ...swap, ending: 'result', report: { toVersion: '2026.47.0', ...report } }, now)
    .status;
}

describe('release status', () => {
  test('a new release knows each account and its wave, with the Day marks', () => {
    const status = release();
    const view = statusView(status);
    expect(view).toMatchObject({
      stage: 'scheduled',
      targetVersion: '2026.47.0',
      originalVersion: '2026.47.0',
      paused: false,
    });
    expect(view.schedule).toMatchObject({
      startAt: '2026-11-23T09:00:00.000Z',
      day2At: '2026-11-24T09:00:00.000Z',
      day3At: '2026-11-25T09:00:00.000Z',
    });
    expect(view.accounts.acme).toEqual({ wave: 1, state: 'pending', version: null });
    expect(accountsToDeploy(status.accounts, 1, status.targetVersion)).toEqual(['acme', 'globex']);
  });

  test('a finished swap records version, previous version and outcome; a rollback counts against the budget', () => {
    let status = release();
    status = startDeployment(status, { accountId: 'acme', version: '2026.47.0', revert: false }, T0).status;
    expect(accountsToDeploy(status.accounts, 1, status.targetVersion)).toEqual(['globex']);
    status = finishDeployment(
      status,
      {
        accountId: 'acme',
        version: '2026.47.0',
        revert: false,
        ending: 'result',
        report: { outcome: 'promoted', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
      },
      T0 + 60_000,
    ).status;
    status = deploy(
      status,
      'globex',
      { outcome: 'rolled-back', fromVersion: '2026.46.0', failedStep: 'canary', reason: '30% differ' },
      T0 + 120_000,
    );
    const view = statusView(status);
    expect(view.accounts.acme).toMatchObject({
      state: 'done',
      version: '2026.47.0',
      previous: '2026.46.0',
      outcome: 'promoted',
    });
    expect(view.accounts.globex).toMatchObject({
      version: '2026.46.0',
      outcome: 'rolled-back',
      reason: 'canary: 30% differ',
    });
    expect(waveFailures(status.accounts, 1, status.targetVersion)).toEqual(['globex']);
    // Wave 2 waits a full stage after the last wave-1 deployment, never less than Day 3.
    expect(view.schedule.waveTwoNotBefore).toBe('2026-11-25T09:00:00.000Z');
    expect(view.lastWaveOneFinishedAt).toBe('2026-11-23T09:02:00.000Z');
  });

  test('a patch becomes the target, closes open issues and makes every wave-1 account due again', () => {
    let status = release();
    for (const id of ['acme', 'globex'])
      status = deploy(status, id, { outcome: id === 'acme' ? 'promoted' : 'rolled-back', fromVersion: '2026.46.0' });
    status = openIssue(status, { source: 'automated', summary: 'globex rolled back', accounts: ['globex'] }, T0).status;
    status = { ...status, pendingPatch: { version: '2026.47.1', reason: 'fix', at: T0 } };
    const { status: patched, events } = applyPendingPatch(status, T0 + 1);
    expect(events.map((e) => e.type)).toEqual(['patch-applied', 'issue-closed']);
    expect(patched.targetVersion).toBe('2026.47.1');
    expect(patched.pendingPatch).toBeUndefined();
    expect(statusView(patched).issues[0]).toMatchObject({ closedBy: 'patch 2026.47.1' });
    expect(accountsToDeploy(patched.accounts, 1, patched.targetVersion)).toEqual(['acme', 'globex']);
    expect(waveFailures(patched.accounts, 1, patched.targetVersion)).toEqual([]);
    // Without a pending patch nothing happens.
    expect(applyPendingPatch(patched, T0 + 2)).toEqual({ status: patched, events: [] });
  });

  test('accounts that never started are marked not released when the release ends', () => {
    const { accounts, count } = markNotReleased(release().accounts, 'release aborted');
    expect(count).toBe(3);
    expect(Object.values(statusView({ ...release(), accounts }).accounts).map((a) => a.outcome)).toEqual([
      'not-released',
      'not-released',
      'not-released',
    ]);
    expect(accounts.counts.wave1).toMatchObject({ total: 2, done: 2, pending: 0, 'not-released': 2 });
  });

  test('the timeline is capped and counts what it dropped', () => {
    const driver = new Driver(release());
    for (let i = 0; i < TIMELINE_LIMIT + 25; i++)
      driver.apply((s) => rejectSignal(s, { signal: 'pause', reason: `#${i}` }, T0 + i));
    const view = statusView(driver.status);
    expect(view.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(view.timelineDropped).toBe(26); // 25 + the "planned" entry
    expect(view.timeline.at(-1)!.detail).toBe(`#${TIMELINE_LIMIT + 24}`);
    expect(view.timeline.at(-1)!.at).toBe(new Date(T0 + TIMELINE_LIMIT + 24).toISOString());
  });

  test('5,000 accounts (100 of them rolled back with long reasons) fit well under the 2 MB payload limit', () => {
    const accounts = Array.from({ length: 5000 }, (_, i) => ({
      accountId: `account-${String(i).padStart(5, '0')}`,
      wave: (i % 10 === 0 ? 1 : 2) as 1 | 2,
    }));
    let status = release(accounts);
    accounts.forEach(({ accountId }, i) => {
      const outcome = i % 50 === 0 ? 'rolled-back' : 'promoted';
      status = deploy(status, accountId, {
        outcome,
        fromVersion: '2026.46.0',
        failedStep: 'canary',
        reason: 'x'.repeat(1000),
      });
    });
    const bytes = JSON.stringify(statusView(status)).length;
    expect(bytes).toBeLessThan(1_000_000);
    expect(JSON.stringify(statusSummary(status)).length).toBeLessThan(200_000);
  });

  test('the wave table counts accounts per wave and outcome', () => {
    const status = deploy(release(), 'acme', { outcome: 'promoted', fromVersion: '2026.46.0' });
    const table = renderWaveTable(status);
    expect(table).toContain('| 1 (early access) | 2 | 1 | 0 | 1 | 0 | 0 | 0 | 0 |');
    expect(table).toContain('| 2 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(table).toContain('Day 2: 2026-11-24T09:00:00.000Z · wave 2 not before: 2026-11-25T09:00:00.000Z');
  });
});
