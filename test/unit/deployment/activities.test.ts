/**
 * The deployment activities in a mock activity context against a small in-memory fleet: how fleet
 * errors become retryable or typed non-retryable failures, and the safety rules of the undo steps.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeploymentActivities } from '../../../src/activities/deployment';
import { FleetError } from '../../../src/platform/provider';
import { createLogger } from '../../../src/logging/logger';
import { FakeFleet } from '../../support/fake-fleet';

const ctx = { accountId: 'acme', version: '2.0' };

function setup() {
  const fleet = new FakeFleet()
    .addVersion('1.0')
    .addVersion('2.0')
    .addVersion('1.0-flaky', { errorsInPool: true })
    .addVersion('2.0-bad', { wrongValues: true });
  fleet.addAccount({ accountId: 'acme', useCases: ['fraud-score', 'churn-risk'], instanceCount: 2 }, '1.0');
  fleet.addAccount({ accountId: 'flaky', useCases: ['fraud-score'], instanceCount: 1 }, '1.0-flaky');
  const activities = createDeploymentActivities({ fleet, logger: createLogger('silent') });
  const mock = new MockActivityEnvironment(
    { activityType: 'test' },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  // Runs an activity in the mock context, keeping its types.
  const env = { run: <I, R>(fn: (input: I) => Promise<R>, input: I): Promise<R> => mock.run(fn, input) as Promise<R> };
  return { fleet, activities, env };
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('deployment activities', () => {
  it('describes the account with blue as the pool', async () => {
    const { activities, env } = setup();
    const account = await env.run(activities.describeAccount, ctx);
    expect(account).toMatchObject({
      accountId: 'acme',
      version: '1.0',
      useCases: ['fraud-score', 'churn-risk'],
      maintenance: false,
    });
    expect(account.pool).toHaveLength(2);
  });

  it('an unknown account is a non-retryable AccountNotFound', async () => {
    const { activities, env } = setup();
    expect(await failure(env.run(activities.describeAccount, { ...ctx, accountId: 'nobody' }))).toMatchObject({
      type: 'AccountNotFound',
      nonRetryable: true,
    });
  });

  it('an unknown version is a non-retryable VersionNotFound; a transient fleet error is retried', async () => {
    const { fleet, activities, env } = setup();
    const request = { ...ctx, version: '9.9', count: 1, requestId: 'r1' };
    expect(await failure(env.run(activities.provisionGreen, request))).toMatchObject({
      type: 'VersionNotFound',
      nonRetryable: true,
    });
    fleet.provision = () => Promise.reject(new FleetError('fleet daemon answered 503', 503, true));
    expect(await failure(env.run(activities.provisionGreen, { ...request, version: '2.0' }))).toMatchObject({
      type: 'FleetUnavailable',
      nonRetryable: false,
    });
  });

  it('provisioning again with the same request id answers the same instances', async () => {
    const { activities, env } = setup();
    const first = await env.run(activities.provisionGreen, { ...ctx, count: 2, requestId: 'same' });
    const again = await env.run(activities.provisionGreen, { ...ctx, count: 2, requestId: 'same' });
    expect(again).toEqual(first);
  });

  it('the canary fails with evidence when green serves other values, and the report rides in the failure details', async () => {
    const { activities, env } = setup();
    const greenIds = await env.run(activities.provisionGreen, {
      ...ctx,
      version: '2.0-bad',
      count: 1,
      requestId: 'bad',
    });
    const blueIds = (await env.run(activities.describeAccount, ctx)).pool;
    const error = await failure(
      env.run(activities.runCanary, {
        ...ctx,
        greenIds,
        blueIds,
        useCases: ['fraud-score'],
        sampleSize: 10,
        mismatchThreshold: 0.02,
        minAnsweredFraction: 0.9,
        seed: 's',
      }),
    );
    expect(error).toMatchObject({ type: 'ValidationFailed', nonRetryable: true });
    expect(error.details?.[0]).toMatchObject({ check: 'canary', verdict: 'failed', evidence: { mismatched: 10 } });
  });

  it('the canary is inconclusive (a result, not a failure) when blue cannot answer', async () => {
    const { activities, env } = setup();
    const greenIds = await env.run(activities.provisionGreen, { ...ctx, accountId: 'flaky', count: 1, requestId: 'g' });
    const blueIds = (await env.run(activities.describeAccount, { ...ctx, accountId: 'flaky' })).pool;
    const report = await env.run(activities.runCanary, {
      ...ctx,
      accountId: 'flaky',
      greenIds,
      blueIds,
      useCases: ['fraud-score'],
      sampleSize: 10,
      mismatchThreshold: 0.02,
      minAnsweredFraction: 0.9,
      seed: 's',
    });
    expect(report).toMatchObject({ check: 'canary', verdict: 'inconclusive' });
  });

  it('routing back refuses (BlueMissing) when blue is gone, and leaves the pool as it is', async () => {
    const { fleet, activities, env } = setup();
    const blue = (await env.run(activities.describeAccount, ctx)).pool;
    const green = await env.run(activities.provisionGreen, { ...ctx, count: 2, requestId: 'g' });
    await env.run(activities.promoteGreen, { ...ctx, instanceIds: green });
    await fleet.decommission('acme', [blue[0]]);
    expect(await failure(env.run(activities.routeBackToBlue, { ...ctx, blueIds: blue }))).toMatchObject({
      type: 'BlueMissing',
      nonRetryable: true,
    });
    expect((await fleet.accountState('acme')).pool.map((i) => i.instanceId)).toEqual(green);
  });

  it("removing green also sweeps what a lost answer started under the swap's request id, and never stops one that serves", async () => {
    const { fleet, activities, env } = setup();
    const known = await env.run(activities.provisionGreen, { ...ctx, count: 1, requestId: 'swap-1' });
    const orphan = (await fleet.provision({ accountId: 'acme', version: '2.0', count: 1, requestId: 'swap-2' })).map(
      (i) => i.instanceId,
    );
    const { removed } = await env.run(activities.decommissionGreen, {
      ...ctx,
      instanceIds: known,
      requestId: 'swap-1',
    });
    expect(removed).toEqual(known);
    // The provision answer of swap-2 was lost: its compensation knows no id, only its request id.
    expect(await env.run(activities.decommissionGreen, { ...ctx, instanceIds: [], requestId: 'swap-2' })).toEqual({
      removed: orphan,
    });
    expect((await fleet.inventory()).filter((i) => i.version === '2.0')).toEqual([]);

    const serving = await env.run(activities.provisionGreen, { ...ctx, count: 1, requestId: 'serving' });
    await env.run(activities.promoteGreen, { ...ctx, instanceIds: serving });
    expect(
      await failure(env.run(activities.decommissionGreen, { ...ctx, instanceIds: serving, requestId: 'serving' })),
    ).toMatchObject({
      type: 'GreenServing',
      nonRetryable: true,
    });
  });

  it("removing one swap's green never touches another swap's instances of the same version", async () => {
    const { fleet, activities, env } = setup();
    const mine = await env.run(activities.provisionGreen, { ...ctx, count: 2, requestId: 'provision/run-1/swap-a' });
    const theirs = await env.run(activities.provisionGreen, { ...ctx, count: 2, requestId: 'provision/run-2/swap-b' });
    const { removed } = await env.run(activities.decommissionGreen, {
      ...ctx,
      instanceIds: [mine[0]],
      requestId: 'provision/run-1/swap-a',
    });
    expect(removed.sort()).toEqual([...mine].sort());
    expect((await fleet.inventory()).filter((i) => i.version === '2.0').map((i) => i.instanceId)).toEqual(theirs);
  });

  it('a data migration refuses to run outside maintenance mode', async () => {
    const { activities, env } = setup();
    expect(await failure(env.run(activities.runDataMigration, { ...ctx, fromVersion: '1.0' }))).toMatchObject({
      type: 'MaintenanceRequired',
    });
    await env.run(activities.setMaintenanceMode, { ...ctx, enabled: true });
    expect(await env.run(activities.runDataMigration, { ...ctx, fromVersion: '1.0' })).toMatchObject({
      summary: expect.stringMatching(/simulated/),
    });
  });
});
