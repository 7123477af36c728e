import {
  accountsToDeploy,
  addTimeline,
  applyPatch,
  markNotReleased,
  newReleaseStatus,
  openIssue,
  recordDeploymentResult,
  recordDeploymentStarted,
  renderWaveTable,
  TIMELINE_LIMIT,
  waveFailures,
  type ReleaseStatus,
} from '../../../src/domain/release/status';
import { statusSummary, statusView } from '../../../src/domain/release/view';

const T0 = Date.parse('2026-11-23T09:00:00Z');

function release(
  accounts = [
    { accountId: 'acme', wave: 1 as const },
    { accountId: 'globex', wave: 1 as const },
    { accountId: 'hooli', wave: 2 as const },
  ],
): ReleaseStatus {
  return newReleaseStatus({
    releaseId: '2026-47',
    version: '2026.47.0',
    kind: 'minor',
    notes: [],
    startAt: T0,
    stageLength: 86_400_000,
    accounts,
    now: T0,
  });
}

describe('release status', () => {
  test('a new release knows each account and its wave, with the Day marks', () => {
    const status = release();
    expect(status).toMatchObject({
      stage: 'scheduled',
      targetVersion: '2026.47.0',
      originalVersion: '2026.47.0',
      paused: false,
    });
    expect(status.schedule).toMatchObject({
      startAt: '2026-11-23T09:00:00.000Z',
      day2At: '2026-11-24T09:00:00.000Z',
      day3At: '2026-11-25T09:00:00.000Z',
    });
    expect(status.accounts.acme).toEqual({ wave: 1, state: 'pending', version: null });
    expect(accountsToDeploy(status, 1)).toEqual(['acme', 'globex']);
  });

  test('a finished swap records version, previous version and outcome; a rollback counts against the budget', () => {
    const status = release();
    recordDeploymentStarted(status, 'acme', '2026.47.0');
    expect(accountsToDeploy(status, 1)).toEqual(['globex']);
    recordDeploymentResult(
      status,
      'acme',
      { outcome: 'promoted', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
      T0 + 60_000,
    );
    recordDeploymentStarted(status, 'globex', '2026.47.0');
    recordDeploymentResult(
      status,
      'globex',
      {
        outcome: 'rolled-back',
        fromVersion: '2026.46.0',
        toVersion: '2026.47.0',
        failedStep: 'canary',
        reason: '30% differ',
      },
      T0 + 120_000,
    );
    expect(status.accounts.acme).toMatchObject({
      state: 'done',
      version: '2026.47.0',
      previous: '2026.46.0',
      outcome: 'promoted',
    });
    expect(status.accounts.globex).toMatchObject({
      version: '2026.46.0',
      outcome: 'rolled-back',
      reason: 'canary: 30% differ',
    });
    expect(waveFailures(status, 1)).toEqual(['globex']);
    // Wave 2 waits a full stage after the last wave-1 deployment, never less than Day 3.
    expect(status.schedule.waveTwoNotBefore).toBe('2026-11-25T09:00:00.000Z');
  });

  test('a patch becomes the target, closes open issues and makes every wave-1 account due again', () => {
    const status = release();
    for (const id of ['acme', 'globex']) {
      recordDeploymentStarted(status, id, '2026.47.0');
      recordDeploymentResult(
        status,
        id,
        { outcome: id === 'acme' ? 'promoted' : 'rolled-back', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
        T0,
      );
    }
    openIssue(status, T0, { source: 'automated', summary: 'globex rolled back', accounts: ['globex'] });
    status.pendingPatch = { version: '2026.47.1', reason: 'fix', at: new Date(T0).toISOString() };
    expect(applyPatch(status, T0 + 1)).toBe('2026.47.1');
    expect(status.targetVersion).toBe('2026.47.1');
    expect(status.pendingPatch).toBeUndefined();
    expect(status.issues[0]).toMatchObject({ closedBy: 'patch 2026.47.1' });
    expect(accountsToDeploy(status, 1)).toEqual(['acme', 'globex']);
    expect(waveFailures(status, 1)).toEqual([]);
  });

  test('accounts that never started are marked not released when the release ends', () => {
    const status = release();
    markNotReleased(status, 'release aborted');
    expect(Object.values(status.accounts).map((a) => a.outcome)).toEqual([
      'not-released',
      'not-released',
      'not-released',
    ]);
  });

  test('the timeline is capped and counts what it dropped', () => {
    const status = release();
    for (let i = 0; i < TIMELINE_LIMIT + 25; i++) addTimeline(status, T0 + i, 'event', `#${i}`);
    expect(status.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(status.timelineDropped).toBe(26); // 25 + the "planned" entry
    expect(status.timeline.at(-1)!.detail).toBe(`#${TIMELINE_LIMIT + 24}`);
  });

  test('5,000 accounts (100 of them rolled back with long reasons) fit well under the 2 MB payload limit', () => {
    const accounts = Array.from({ length: 5000 }, (_, i) => ({
      accountId: `account-${String(i).padStart(5, '0')}`,
      wave: (i % 10 === 0 ? 1 : 2) as 1 | 2,
    }));
    const status = release(accounts);
    accounts.forEach(({ accountId }, i) => {
      recordDeploymentStarted(status, accountId, '2026.47.0');
      const outcome = i % 50 === 0 ? 'rolled-back' : 'promoted';
      recordDeploymentResult(
        status,
        accountId,
        { outcome, fromVersion: '2026.46.0', toVersion: '2026.47.0', failedStep: 'canary', reason: 'x'.repeat(1000) },
        T0,
      );
    });
    const bytes = JSON.stringify(statusView(status)).length;
    expect(bytes).toBeLessThan(1_000_000);
    expect(JSON.stringify(statusSummary(status)).length).toBeLessThan(200_000);
  });

  test('the wave table counts accounts per wave and outcome', () => {
    const status = release();
    recordDeploymentStarted(status, 'acme', '2026.47.0');
    recordDeploymentResult(
      status,
      'acme',
      { outcome: 'promoted', fromVersion: '2026.46.0', toVersion: '2026.47.0' },
      T0,
    );
    const table = renderWaveTable(status);
    expect(table).toContain('| 1 (early access) | 2 | 1 | 0 | 1 | 0 | 0 | 0 | 0 |');
    expect(table).toContain('| 2 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |');
  });
});
