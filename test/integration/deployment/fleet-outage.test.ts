/**
 * The fleet's control plane cut off in the middle of a swap (a TCP proxy between the worker and
 * the real fleet daemon): an infrastructure fault is retried by time and shown as a stall, never
 * taken for a verdict about green. A blip during the watch does not roll a healthy green back,
 * the readiness wait does not count time it could not see the fleet, a quick call (a local
 * activity) that the outage blocks goes on as an activity task, and a rollback blocked by an outage
 * finishes once the fleet answers again.
 */
import { swaps } from '../../../src/client';
import type { DeploymentStatus } from '../../../src/domain/deployment/swap';
import { cutOnCall } from '../../support/fleet-cuts';
import { LOCAL_ACTIVITY_MARKER, scheduledActivities, waitForHeartbeat } from '../../support/history';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

/** Healthy, but takes 20 s to initialize. */
const SLOW_START = '2026.47.0-slow-start';
const ROLLBACK_OUTAGE_MS = 45_000;
const PROVISION_OUTAGE_MS = 8_000;

describe('a fleet outage during a swap is not a verdict (dev server, real fleet behind a TCP proxy)', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    const accounts = ['blip-watch', 'slow-ready', 'outage-provision', 'outage-rollback'].map((id) => account(id));
    const cutFor = (ms: number) => () => stack.proxy!.cutFor(ms);
    // Cut for 8 s as 'outage-provision' provisions green, and for ~45 s as 'outage-rollback' switches
    // back to blue (its second switch: the first one promotes green).
    const provisionCut = cutOnCall({
      method: 'provision',
      accountId: 'outage-provision',
      cut: cutFor(PROVISION_OUTAGE_MS),
    });
    const rollbackCut = cutOnCall({
      method: 'setPool',
      accountId: 'outage-rollback',
      nth: 2,
      cut: cutFor(ROLLBACK_OUTAGE_MS),
    });
    stack = await startDeploymentStack(accounts, {
      versions: [{ version: SLOW_START, initMs: 20_000 }],
      throughProxy: true,
      wrapFleet: (provider) => rollbackCut(provisionCut(provider)),
    });
  });
  afterAll(() => stack?.stop());

  it('a ~2 s blip during the watch does not roll back a healthy green: the watch is extended instead', async () => {
    const handle = await stack.start({
      accountId: 'blip-watch',
      version: TEST_VERSIONS.next,
      strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '6 seconds' } },
    });
    await stack.waitForStatus(handle, (s) => s.step === 'watch');
    await waitForHeartbeat(handle, 'watchGreen');
    await stack.proxy!.cutFor(2_500);

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next, leftBehind: [] });
    const watch = result.checks.find((c) => c.check === 'watch')!;
    expect(watch.verdict).toBe('passed');
    // Time the fleet could not be asked did not count toward the 6 s.
    expect(watch.evidence.unobservedMs).toBeGreaterThanOrEqual(1_000);
    expect(result.steps.find((s) => s.step === 'watch')!.durationMs).toBeGreaterThanOrEqual(7_000);
    await stack.expectCleanOn('blip-watch', TEST_VERSIONS.next);
  });

  it('the readiness wait does not count time it could not see the fleet', async () => {
    // Green needs 20 s; the wait allows 16 s of observed time. The 10 s cut must not count.
    const handle = await stack.start({
      accountId: 'slow-ready',
      version: SLOW_START,
      strategy: { ...FAST_STRATEGY, readinessTimeout: '16 seconds' },
    });
    await stack.waitForStatus(handle, (s) => s.step === 'initialization');
    await stack.proxy!.cutFor(10_000);

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: SLOW_START, leftBehind: [] });
    expect(result.checks.find((c) => c.check === 'initialization')).toMatchObject({ verdict: 'passed' });
    await stack.expectCleanOn('slow-ready', SLOW_START);
  });

  it('a quick call the outage blocks goes on as an activity task: provision shows as stalled, then the swap promotes', async () => {
    // A 2 s budget: the local try gives up after its 3 attempts, the activity task after 1 s, the stall shows.
    const handle = await stack.start({
      accountId: 'outage-provision',
      version: TEST_VERSIONS.next,
      strategy: { ...FAST_STRATEGY, faults: { stallAfter: '2 seconds' } },
    });
    const stalled = await stack.waitForStatus(handle, (s) => s.stalled !== undefined, PROVISION_OUTAGE_MS + 30_000);
    expect(stalled.stalled).toMatchObject({ step: 'provision' });
    expect(stalled.outcome).toBeUndefined();

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next, leftBehind: [] });
    expect((await swaps.status(handle)).stalled).toBeUndefined();
    const events = (await handle.fetchHistory()).events ?? [];
    const failedLocalTries = events.filter(
      (e) =>
        e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER &&
        e.markerRecordedEventAttributes.failure,
    );
    expect(failedLocalTries).toHaveLength(1);
    // The call went on as an activity task; the local try was not made again.
    const tasks = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'provisionGreen');
    expect(tasks.length).toBeGreaterThanOrEqual(1);
    expect(scheduledActivities(events).filter((type) => type === 'provisionGreen')).toHaveLength(tasks.length);
    await stack.expectCleanOn('outage-provision', TEST_VERSIONS.next);
  });

  it('an outage of ~45 s during a rollback shows as a stall and ends rolled back, on blue, with no green left', async () => {
    const handle = await stack.start({
      accountId: 'outage-rollback',
      version: TEST_VERSIONS.errorsAfterPromotion,
      strategy: FAST_STRATEGY,
    });
    const stalled: DeploymentStatus = await stack.waitForStatus(
      handle,
      (s) => s.step === 'rollback' && s.stalled !== undefined,
      ROLLBACK_OUTAGE_MS + 30_000,
    );
    expect(stalled.stalled).toMatchObject({ step: 'rollback', reason: expect.stringMatching(/fleet unreachable/) });
    expect(stalled.outcome).toBeUndefined();

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'rolled-back', failedStep: 'watch', leftBehind: [] });
    expect(result.reason).toMatch(/error rate breached/);
    expect(result.reason).not.toMatch(/ROLLBACK INCOMPLETE/);
    expect((await swaps.status(handle)).stalled).toBeUndefined();
    await stack.expectCleanOn('outage-rollback', TEST_VERSIONS.current);
  });
});
