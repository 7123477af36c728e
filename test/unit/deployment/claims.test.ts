/**
 * The claim activities in a mock activity context, against the in-memory fleet and a stand-in for
 * what Temporal says of other swaps: one swap per account, a live holder is waited for, an ended
 * one is taken over, and a swap re-enters its own claim.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeploymentActivities } from '../../../src/activities/deployment';
import type { SwapDirectory } from '../../../src/activities/swap-directory';
import type { SwapRef } from '../../../src/domain/deployment/swap';
import { createLogger } from '../../../src/logging/logger';
import { FakeFleet } from '../../support/fake-fleet';

const ctx = { accountId: 'acme', version: '2.0' };
const mine: SwapRef = { workflowId: 'deploy-acme/2.0', runId: 'run-mine' };
const other: SwapRef = { workflowId: 'release-r1/acme/1.9', runId: 'run-other' };

function setup(running: (swap: SwapRef) => boolean) {
  const fleet = new FakeFleet().addVersion('1.0');
  fleet.addAccount({ accountId: 'acme', useCases: ['fraud-score'], instanceCount: 1 }, '1.0');
  const asked: SwapRef[] = [];
  const swaps: SwapDirectory = {
    isRunning: async (swap) => (asked.push(swap), running(swap)),
    lookUp: async () => undefined,
  };
  const activities = createDeploymentActivities({ fleet, logger: createLogger('silent'), swaps });
  const mock = new MockActivityEnvironment(
    { activityType: 'claimAccount' },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  const run = <I, R>(fn: (input: I) => Promise<R>, input: I): Promise<R> => mock.run(fn, input) as Promise<R>;
  return { fleet, activities, run, asked };
}

describe('account claims (activities)', () => {
  it('claims a free account, and claiming again as the same swap is granted again', async () => {
    const { fleet, activities, run } = setup(() => true);
    expect(await run(activities.claimAccount, { ...ctx, holder: mine, waitMs: 0 })).toEqual({ granted: true });
    expect(await run(activities.claimAccount, { ...ctx, holder: mine, waitMs: 0 })).toEqual({ granted: true });
    expect(fleet.claims.get('acme')).toEqual(mine);
  });

  it('answers who holds the account while that swap still runs, and changes nothing', async () => {
    const { fleet, activities, run, asked } = setup(() => true);
    await fleet.claimAccount('acme', other);
    expect(await run(activities.claimAccount, { ...ctx, holder: mine, waitMs: 0 })).toEqual({
      granted: false,
      heldBy: other,
    });
    expect(asked).toEqual([other]);
    expect(fleet.claims.get('acme')).toEqual(other);
  });

  it('waits while the holder runs and is granted once it lets go', async () => {
    const { fleet, activities, run } = setup(() => true);
    await fleet.claimAccount('acme', other);
    setTimeout(() => void fleet.releaseAccount('acme', other), 1_500);
    expect(await run(activities.claimAccount, { ...ctx, holder: mine, waitMs: 30_000 })).toEqual({ granted: true });
    expect(fleet.claims.get('acme')).toEqual(mine);
  });

  it('takes over the claim of a swap that has ended without releasing it', async () => {
    const { fleet, activities, run } = setup(() => false);
    await fleet.claimAccount('acme', other);
    expect(await run(activities.claimAccount, { ...ctx, holder: mine, waitMs: 0 })).toEqual({
      granted: true,
      tookOverFrom: other,
    });
    expect(fleet.claims.get('acme')).toEqual(mine);
  });

  it('releases only its own claim', async () => {
    const { fleet, activities, run } = setup(() => true);
    await fleet.claimAccount('acme', other);
    expect(await run(activities.releaseAccount, { ...ctx, holder: mine })).toEqual({ released: false });
    expect(fleet.claims.get('acme')).toEqual(other);
    expect(await run(activities.releaseAccount, { ...ctx, holder: other })).toEqual({ released: true });
    expect(fleet.claims.has('acme')).toBe(false);
  });
});
