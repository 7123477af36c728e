/**
 * One test per injected fault (real fleet daemon, real engine processes): each swap ends
 * rolled back, with traffic on blue, nothing of green left in the fleet, and the failed step and
 * reason reported.
 */
import type { DeploymentResult } from '../../../src/domain/deployment/swap';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

describe('blueGreenDeployment rolls back every injected fault (dev server, real fleet)', () => {
  let stack: DeploymentStack;
  const blue = TEST_VERSIONS.current;

  beforeAll(async () => {
    stack = await startDeploymentStack(
      ['fault-start', 'fault-ready', 'fault-values', 'fault-errors', 'fault-slow'].map((id) => account(id)),
    );
  });
  afterAll(() => stack?.stop());

  async function expectRolledBack(
    accountId: string,
    result: DeploymentResult,
    failedStep: string,
    reason: RegExp,
  ): Promise<void> {
    expect(result).toMatchObject({ accountId, fromVersion: blue, outcome: 'rolled-back', failedStep, leftBehind: [] });
    expect(result.reason).toMatch(reason);
    expect(result.steps.at(-1)?.step).toBe('rollback');
    await stack.expectCleanOn(accountId, blue);
  }

  it('green that fails to start: rolled back at initialization', async () => {
    const result = await stack.run({
      accountId: 'fault-start',
      version: TEST_VERSIONS.failsToStart,
      strategy: FAST_STRATEGY,
    });
    await expectRolledBack('fault-start', result, 'initialization', /failed to start/);
    expect(result.checks.find((c) => c.check === 'initialization')).toMatchObject({ verdict: 'failed' });
  });

  it('green that never becomes ready: rolled back when the readiness deadline passes', async () => {
    const result = await stack.run({
      accountId: 'fault-ready',
      version: TEST_VERSIONS.neverReady,
      strategy: { ...FAST_STRATEGY, readinessTimeout: '2 seconds' },
    });
    await expectRolledBack('fault-ready', result, 'initialization', /not ready after 2000ms/);
  });

  it('green that serves wrong values: the canary fails and records the use cases and entities that differed', async () => {
    const result = await stack.run({
      accountId: 'fault-values',
      version: TEST_VERSIONS.wrongValues,
      strategy: FAST_STRATEGY,
    });
    await expectRolledBack('fault-values', result, 'canary', /values differ on \d+ of 40 samples/);
    const canary = result.checks.find((c) => c.check === 'canary')!;
    expect(canary.verdict).toBe('failed');
    expect(canary.evidence.differingUseCases).toEqual(expect.arrayContaining(['fraud-score']));
    expect((canary.evidence.differingEntities as unknown[]).length).toBeGreaterThan(0);
    expect(result.steps.map((s) => s.step)).not.toContain('promote');
  });

  it('green that errors after promotion: the watch breaches and traffic goes straight back to blue', async () => {
    const result = await stack.run({
      accountId: 'fault-errors',
      version: TEST_VERSIONS.errorsAfterPromotion,
      strategy: FAST_STRATEGY,
    });
    await expectRolledBack('fault-errors', result, 'watch', /error rate breached/);
    expect(result.checks.find((c) => c.check === 'watch')).toMatchObject({ verdict: 'failed' });
    expect(result.rollback).toMatchObject({
      detectedAt: expect.any(String),
      trafficOnBlueAt: expect.any(String),
      rollbackMs: expect.any(Number),
    });
    expect(result.rollback!.rollbackMs).toBeGreaterThanOrEqual(0);
  });

  it('green that slows down after promotion: the latency watch breaches and rolls back', async () => {
    const result = await stack.run({
      accountId: 'fault-slow',
      version: TEST_VERSIONS.slowAfterPromotion,
      strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, maxP99Ms: 300 } },
    });
    await expectRolledBack('fault-slow', result, 'watch', /latency breached/);
    expect(result.rollback?.rollbackMs).toEqual(expect.any(Number));
  });
});
