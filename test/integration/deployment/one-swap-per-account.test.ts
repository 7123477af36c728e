/**
 * One swap per account at a time, whoever started it: a swap claims the account in the fleet
 * before it touches anything and releases the claim at its very end. A second swap waits its turn
 * (its status names the swap holding the account); a claim whose holder has ended (terminated) is
 * taken over; a reset run of a swap re-enters its own claim. Real dev server, real fleet.
 */
import { swaps } from '../../../src/client';
import { runTemporalCli } from '../../harness/temporal';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

const SLOW_WATCH = { ...FAST_STRATEGY, watch: { ...FAST_STRATEGY.watch, duration: '4 seconds' } };

describe('one swap per account at a time (dev server, real fleet)', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    stack = await startDeploymentStack([account('busy'), account('stale'), account('reset')]);
  });
  afterAll(() => stack?.stop());

  const claimOf = async (accountId: string) => (await fetch(`${stack.fleet.url}/accounts/${accountId}/claim`)).json();

  it('a second swap on the account waits until the first has finished, naming it meanwhile', async () => {
    const first = await stack.start(
      { accountId: 'busy', version: TEST_VERSIONS.next, releaseId: 'r-busy', strategy: SLOW_WATCH },
      'release-r-busy/busy/2026.47.0',
    );
    await stack.waitForStatus(first, (s) => s.step === 'provision' || s.step === 'initialization');
    const second = await stack.start(
      { accountId: 'busy', version: TEST_VERSIONS.patch, strategy: FAST_STRATEGY },
      'deploy-busy/2026.47.1',
    );

    const waiting = await stack.waitForStatus(second, (s) => s.accountHeldBy !== undefined);
    expect(waiting).toMatchObject({
      step: 'preflight',
      accountHeldBy: { workflowId: 'release-r-busy/busy/2026.47.0', runId: first.firstExecutionRunId },
    });
    expect(waiting.instances.green).toEqual([]);

    const firstResult = await first.result();
    const secondResult = await second.result();
    expect(firstResult).toMatchObject({ outcome: 'promoted', toVersion: TEST_VERSIONS.next });
    // The second read the account only once the first was done with it.
    expect(secondResult).toMatchObject({ outcome: 'promoted', fromVersion: TEST_VERSIONS.next });
    const firstEnd = Math.max(...firstResult.steps.map((s) => Date.parse(s.startedAt) + s.durationMs));
    const secondProvision = secondResult.steps.find((s) => s.step === 'provision')!;
    expect(Date.parse(secondProvision.startedAt)).toBeGreaterThanOrEqual(firstEnd);
    expect((await swaps.status(second)).accountHeldBy).toBeUndefined();

    await stack.expectCleanOn('busy', TEST_VERSIONS.patch);
    expect(await claimOf('busy')).toEqual({ accountId: 'busy', holder: null });
  });

  it('a claim left by a swap that was terminated does not block the next one: it is taken over', async () => {
    const terminated = await stack.start(
      {
        accountId: 'stale',
        version: TEST_VERSIONS.next,
        strategy: { ...FAST_STRATEGY, watch: { duration: '5 minutes' } },
      },
      'deploy-stale/terminated',
    );
    await stack.waitForStatus(terminated, (s) => s.step === 'watch');
    await terminated.terminate('operator stopped it');
    expect(await claimOf('stale')).toMatchObject({
      holder: { workflowId: 'deploy-stale/terminated', runId: terminated.firstExecutionRunId },
    });

    const next = await stack.run({ accountId: 'stale', version: TEST_VERSIONS.patch, strategy: FAST_STRATEGY });
    expect(next).toMatchObject({
      outcome: 'promoted',
      fromVersion: TEST_VERSIONS.next,
      toVersion: TEST_VERSIONS.patch,
    });
    expect(await claimOf('stale')).toEqual({ accountId: 'stale', holder: null });
    // What the terminated swap left (its warm blue) is on-call's to remove; a release reconciles it.
    const strays = (await stack.fleet.strays()).filter((i) => i.accountId === 'stale');
    expect(strays.map((i) => i.version)).toEqual([TEST_VERSIONS.current]);
    await stack.fleet.provider.decommission(
      'stale',
      strays.map((i) => i.instanceId),
    );
    await stack.expectCleanOn('stale', TEST_VERSIONS.patch);
  });

  it('a reset run of a swap re-enters its own claim and provisions nothing new', async () => {
    const handle = await stack.start({ accountId: 'reset', version: TEST_VERSIONS.next, strategy: FAST_STRATEGY });
    await swaps.signal.hold(handle, { reason: 'hold for the reset' });
    const before = await stack.waitForStatus(handle, (s) => s.held && s.checks.length === 4);
    const reset = await runTemporalCli(stack.env, [
      'workflow',
      'reset',
      '--workflow-id',
      handle.workflowId,
      '--type',
      'FirstWorkflowTask',
      '--reason',
      'test: reset re-enters its claim',
      '--yes',
    ]);
    expect(reset.stderr).toBe('');
    const latest = swaps.getHandle(stack.env.client, { accountId: 'reset', version: TEST_VERSIONS.next });
    const again = await stack.waitForStatus(latest, (s) => s.instances.green.length > 0);
    expect(again.accountHeldBy).toBeUndefined();
    expect(again.instances.green).toEqual(before.instances.green);
    await swaps.signal.release(latest);
    expect(await latest.result()).toMatchObject({ outcome: 'promoted' });
    await stack.expectCleanOn('reset', TEST_VERSIONS.next);
    expect(await claimOf('reset')).toEqual({ accountId: 'reset', holder: null });
  });
});
