/**
 * On-call decisions and control (dev server, real fleet): an inconclusive canary waits for
 * `approve` / `reject` (update or signal) until approvalTimeout; `hold` / `release` from the
 * parent; cancellation mid-swap cleans up and ends cancelled.
 *
 * Inconclusive for real: blue runs a version that, once in a pool, answers 500 to half of the
 * requests, so half of the canary cannot be compared.
 */
import { CancelledFailure, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { swaps } from '../../../src/client';
import { scheduledActivities, waitForDecisionOnActivity } from '../../support/history';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

const FLAKY_BLUE = TEST_VERSIONS.errorsAfterPromotion;
const ERRORS_TOO = '2026.47.2-errors-after-promotion';

describe('blueGreenDeployment on-call decisions and cancellation (dev server, real fleet)', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    stack = await startDeploymentStack(
      [
        account('decide-approve', FLAKY_BLUE),
        account('decide-reject', FLAKY_BLUE),
        account('decide-silence', FLAKY_BLUE),
        account('control-cancel'),
        account('control-cancel-early'),
        account('control-hold'),
        account('blue-gone', FLAKY_BLUE),
      ],
      { versions: [{ version: ERRORS_TOO, initMs: 150, fault: { type: 'errors-after-promotion', rate: 0.5 } }] },
    );
  });
  afterAll(() => stack?.stop());

  const awaitingApproval = (handle: Parameters<DeploymentStack['waitForStatus']>[0]) =>
    stack.waitForStatus(handle, (s) => s.awaitingApproval);

  it('inconclusive canary, then approve (update): promotes, and the answer is the new status', async () => {
    const handle = await stack.start({
      accountId: 'decide-approve',
      version: TEST_VERSIONS.next,
      strategy: FAST_STRATEGY,
    });
    const waiting = await awaitingApproval(handle);
    expect(waiting.checks.find((c) => c.check === 'canary')).toMatchObject({
      verdict: 'inconclusive',
      summary: expect.stringMatching(/too few to judge/),
    });
    expect((await stack.fleet.provider.accountState('decide-approve')).version).toBe(FLAKY_BLUE);

    const answer = await swaps.update.approve(handle, { reason: 'blue is known flaky', by: 'alice' });
    expect(answer.decision).toEqual({ decision: 'approve', reason: 'blue is known flaky', by: 'alice' });

    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next });
    expect(result.steps.map((s) => s.step)).toContain('approval');
    await stack.expectCleanOn('decide-approve', TEST_VERSIONS.next);
  });

  it('inconclusive canary, then reject (signal): rolled back with who and why', async () => {
    const handle = await stack.start({
      accountId: 'decide-reject',
      version: TEST_VERSIONS.next,
      strategy: FAST_STRATEGY,
    });
    await awaitingApproval(handle);
    await swaps.signal.reject(handle, { reason: 'not today', by: 'bob' });
    const result = await handle.result();
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      failedStep: 'approval',
      reason: expect.stringMatching(/^rejected by bob: not today/),
    });
    await stack.expectCleanOn('decide-reject', FLAKY_BLUE);
  });

  it('a later run with the same workflow id (after that rollback) provisions fresh instances and can promote', async () => {
    const handle = await stack.start({
      accountId: 'decide-reject',
      version: TEST_VERSIONS.next,
      strategy: FAST_STRATEGY,
    });
    const waiting = await awaitingApproval(handle);
    expect(waiting.instances.green).toHaveLength(1);
    await swaps.update.approve(handle, { by: 'bob' });
    expect(await handle.result()).toMatchObject({ outcome: 'promoted' });
    await stack.expectCleanOn('decide-reject', TEST_VERSIONS.next);
  });

  it('inconclusive canary and no answer: rolled back when approvalTimeout passes', async () => {
    const result = await stack.run({
      accountId: 'decide-silence',
      version: TEST_VERSIONS.next,
      strategy: { ...FAST_STRATEGY, approvalTimeout: '2 seconds' },
    });
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      failedStep: 'approval',
      reason: expect.stringMatching(/no approve or reject within 2s/),
    });
    await stack.expectCleanOn('decide-silence', FLAKY_BLUE);
  });

  it('cancelled mid-swap (during the watch, green serving): compensations run, traffic is back on blue, the workflow ends cancelled', async () => {
    const handle = await stack.start({
      accountId: 'control-cancel',
      version: TEST_VERSIONS.next,
      strategy: { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '2 minutes' } },
    });
    await stack.waitForStatus(handle, (s) => s.step === 'watch');
    expect((await stack.fleet.provider.accountState('control-cancel')).version).toBe(TEST_VERSIONS.next);
    const approveNow = await swaps.update.approve(handle, {}).catch((e: unknown) => e);
    expect(approveNow).toBeInstanceOf(WorkflowUpdateFailedError);

    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    await stack.expectCleanOn('control-cancel', TEST_VERSIONS.current);
    const description = await handle.describe();
    expect(description.status.name).toBe('CANCELLED');
    expect(description.typedSearchAttributes.getAll().find((p) => p.key.name === 'DeploymentOutcome')?.value).toBe(
      'cancelled',
    );
  });

  it('cancelled while waiting for green to become ready: green is removed, blue never left, the workflow ends cancelled', async () => {
    const handle = await stack.start({
      accountId: 'control-cancel-early',
      version: TEST_VERSIONS.neverReady,
      strategy: { ...FAST_STRATEGY, readinessTimeout: '2 minutes' },
    });
    const waiting = await stack.waitForStatus(handle, (s) => s.step === 'initialization');
    expect(waiting.instances.green).toHaveLength(1);
    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    await stack.expectCleanOn('control-cancel-early', TEST_VERSIONS.current);
  });

  it('held by the release: validation finishes but promotion waits until released', async () => {
    const handle = await stack.start({
      accountId: 'control-hold',
      version: TEST_VERSIONS.next,
      strategy: FAST_STRATEGY,
    });
    await swaps.signal.hold(handle, { reason: 'release paused' });
    const held = await stack.waitForStatus(handle, (s) => s.held && s.checks.length === 4);
    expect(held.step).toBe('canary');
    // The workflow has acted on the canary's result, and promoting was not part of it.
    const history = await waitForDecisionOnActivity(handle, 'runCanary');
    expect(scheduledActivities(history)).not.toContain('promoteGreen');
    expect((await stack.fleet.provider.accountState('control-hold')).version).toBe(TEST_VERSIONS.current);
    await swaps.signal.release(handle);
    expect((await handle.result()).outcome).toBe('promoted');
    await stack.expectCleanOn('control-hold', TEST_VERSIONS.next);
  });

  it('a rollback that cannot repair (blue is gone) is reported as failed, with what is left behind', async () => {
    const handle = await stack.start({ accountId: 'blue-gone', version: ERRORS_TOO, strategy: FAST_STRATEGY });
    const waiting = await awaitingApproval(handle);
    // Someone removes blue while the swap waits for on-call; green is then promoted and breaches.
    await stack.fleet.provider.decommission('blue-gone', waiting.instances.blue);
    await swaps.update.approve(handle, { by: 'carol' });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'failed', failedStep: 'watch', leftBehind: waiting.instances.green });
    expect(result.reason).toMatch(/ROLLBACK INCOMPLETE: "route traffic back to blue" failed .*gone/);
    const state = await stack.fleet.provider.accountState('blue-gone');
    expect(state.pool.map((i) => i.instanceId)).toEqual(waiting.instances.green); // green still serves: never stopped while in the pool
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().find((p) => p.key.name === 'DeploymentOutcome')?.value).toBe(
      'failed',
    );
  });
});
