/**
 * The release's side of stalled swaps: shown per account and in the summary, an automated issue
 * past the threshold that holds new swaps (nothing rolled back), closed by itself when every
 * stalled swap recovered or ended; and the release's own stalled registry read.
 */
import type { SwapStallReport } from '../../../src/domain/deployment/stalls';
import { finishDeployment, startDeployment } from '../../../src/domain/release/deployments';
import { renderWaveTable } from '../../../src/domain/release/details';
import { applyMessage } from '../../../src/domain/release/messages';
import {
  dropStall,
  newSwapsHeld,
  ownStepRecovered,
  ownStepStalled,
  swapStallReported,
} from '../../../src/domain/release/stalls';
import { openIssues, type ReleaseStatus } from '../../../src/domain/release/status';
import { statusSummary, statusView } from '../../../src/domain/release/view';
import { deepFreeze, Driver, plannedRelease, T0 } from './support';

const ISSUE_AFTER = 120_000;
const report = (accountId: string, stalledForMs: number, stalled = true): SwapStallReport => ({
  accountId,
  version: '2026.47.0',
  stalled,
  step: 'watch',
  since: T0,
  stalledForMs,
  cause: 'fleet unreachable',
  detail: 'ECONNREFUSED',
});

/** acme and globex deploying. */
function deploying(): Driver {
  const driver = new Driver(plannedRelease());
  for (const accountId of ['acme', 'globex'])
    driver.apply((s) => startDeployment(s, { accountId, version: '2026.47.0', revert: false }, T0));
  return driver;
}
const stall = (driver: Driver, r: SwapStallReport, now: number) =>
  driver.apply((s) => swapStallReported(deepFreeze(s), r, ISSUE_AFTER, now));

describe('stalled swaps in the release', () => {
  test('a stall shows per account, in the summary and the timeline; below the threshold nothing is held', () => {
    const driver = deploying();
    const events = stall(driver, report('acme', 40_000), T0 + 40_000);
    expect(events.map((e) => e.type)).toEqual(['swap-stalled']);
    const view = statusView(driver.status);
    expect(view.stalls).toEqual([
      {
        accountId: 'acme',
        version: '2026.47.0',
        step: 'watch',
        since: '2026-11-23T09:00:00.000Z',
        stalledForMs: 40_000,
        reason: 'fleet unreachable for 40s, retrying: ECONNREFUSED',
      },
    ]);
    expect(view.accounts.acme).toMatchObject({
      state: 'deploying',
      stalled: {
        step: 'watch',
        since: '2026-11-23T09:00:00.000Z',
        reason: expect.stringMatching(/^fleet unreachable/),
      },
    });
    expect(view.accounts.globex).not.toHaveProperty('stalled');
    expect(view.timeline.at(-1)).toMatchObject({
      event: 'acme stalled at watch',
      detail: 'fleet unreachable, retrying: ECONNREFUSED',
    });
    expect(openIssues(driver.status)).toEqual([]);
    expect(newSwapsHeld(driver.status)).toBeUndefined();
    expect(renderWaveTable(driver.status)).toMatch(
      /Stalled swaps \(1\).*\n- acme at watch since .*fleet unreachable for 40s/,
    );
  });

  test('past the threshold: one automated issue, new swaps held, nothing rolled back; it closes by itself once all recovered', () => {
    const driver = deploying();
    stall(driver, report('acme', 40_000), T0 + 40_000);
    stall(driver, report('globex', 30_000), T0 + 45_000);
    expect(stall(driver, report('acme', 130_000), T0 + 130_000).map((e) => e.type)).toEqual(['issue-opened']);
    const [issue] = openIssues(driver.status);
    expect(issue).toMatchObject({
      source: 'automated',
      accounts: ['globex', 'acme'],
      summary:
        'fleet unreachable for 2m10s: 2 swap(s) stalled, nothing rolled back; no new swap starts until they recover',
    });
    expect(newSwapsHeld(driver.status)).toMatch(/issue #1: 2 swap\(s\) stalled/);
    expect(statusSummary(driver.status).newSwapsHeld).toBe(newSwapsHeld(driver.status));
    expect(Object.values(statusView(driver.status).accounts).map((a) => a.state)).toEqual([
      'deploying',
      'deploying',
      'pending',
    ]);
    // Later reports do not open another issue.
    expect(stall(driver, report('globex', 200_000), T0 + 200_000)).toEqual([]);

    expect(stall(driver, report('acme', 210_000, false), T0 + 210_000).map((e) => e.type)).toEqual(['swap-recovered']);
    expect(newSwapsHeld(driver.status)).toBeDefined();
    const closing = stall(driver, report('globex', 220_000, false), T0 + 220_000);
    expect(closing.map((e) => e.type)).toEqual(['swap-recovered', 'issue-closed', 'stall-cleared']);
    expect(newSwapsHeld(driver.status)).toBeUndefined();
    expect(openIssues(driver.status)).toEqual([]);
    expect(driver.status.issues[0].closedBy).toBe('stalled swaps recovered');
    expect(statusView(driver.status).stalls).toBeUndefined();
    expect(statusView(driver.status).timeline.slice(-2)).toMatchObject([
      { event: 'globex recovered at watch', detail: 'after 3m40s' },
      { event: 'stalled swaps recovered', detail: 'issue #1 closed, new swaps start again' },
    ]);
  });

  test('a stalled swap that ends (cancelled, failed) is no longer stalled; the hold lifts with the last one', () => {
    const driver = deploying();
    stall(driver, report('acme', 130_000), T0 + 130_000);
    expect(newSwapsHeld(driver.status)).toBeDefined();
    driver.apply((s) =>
      finishDeployment(
        s,
        { accountId: 'acme', version: '2026.47.0', revert: false, ending: 'cancelled' },
        T0 + 140_000,
      ),
    );
    driver.apply((s) => dropStall(s, 'acme', T0 + 140_000));
    expect(driver.status.stalls).toEqual([]);
    expect(newSwapsHeld(driver.status)).toBeUndefined();
    expect(driver.events.map((e) => e.type)).not.toContain('swap-recovered');
  });

  test("on-call's resume closes the issue and lets new swaps start, even while swaps are stalled", () => {
    const driver = deploying();
    stall(driver, report('acme', 130_000), T0 + 130_000);
    driver.apply((s) => applyMessage(s, { name: 'resume', payload: { reason: 'go on' } }, T0 + 140_000, 'update'));
    expect(openIssues(driver.status)).toEqual([]);
    expect(newSwapsHeld(driver.status)).toBeUndefined();
    expect(driver.status.stalls).toHaveLength(1);
  });

  test('reports of accounts the release does not wait for change nothing', () => {
    const driver = deploying();
    const before: ReleaseStatus = driver.status;
    expect(stall(driver, report('nobody', 500_000), T0)).toEqual([]);
    expect(stall(driver, report('hooli', 500_000), T0)).toEqual([]); // pending, not deploying
    expect(stall(driver, { ...report('acme', 10), version: '1999.1.0' }, T0)).toEqual([]);
    expect(stall(driver, report('globex', 10, false), T0)).toEqual([]); // recovered without a stall
    expect(driver.status).toBe(before);
  });
});

describe("the release's own step", () => {
  test('reading accounts stalled: shown with why, then recovered', () => {
    const driver = new Driver(plannedRelease());
    const detail = 'fleet daemon answered 503';
    driver.apply((s) =>
      ownStepStalled(s, { step: 'reading accounts', since: T0, cause: 'fleet unreachable', detail }, T0 + 30_000),
    );
    driver.apply((s) =>
      ownStepStalled(
        s,
        { step: 'reading accounts', since: T0 + 30_000, cause: 'fleet unreachable', detail },
        T0 + 60_000,
      ),
    );
    expect(statusSummary(driver.status).ownStall).toEqual({
      step: 'reading accounts',
      since: '2026-11-23T09:00:00.000Z',
      reason: 'fleet unreachable for 1m, retrying: fleet daemon answered 503',
    });
    expect(renderWaveTable(driver.status)).toMatch(/reading accounts stalled: fleet unreachable for 1m/);
    driver.apply((s) => ownStepRecovered(s, T0 + 70_000));
    expect(statusSummary(driver.status).ownStall).toBeUndefined();
    expect(driver.events.map((e) => e.type)).toEqual(['release-stalled', 'release-recovered']);
    expect(
      statusView(driver.status)
        .timeline.slice(-2)
        .map((e) => e.event),
    ).toEqual(['reading accounts stalled', 'reading accounts recovered']);
  });
});
