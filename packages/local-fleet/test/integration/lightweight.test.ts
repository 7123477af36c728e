import { computeFeatures } from '../../src/engine/features';
import type { AccountSeedInput } from '../../src/schemas';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, provisionReady, waitFor, waitForStates } from '../helpers';

const ACCOUNTS = 300;

/** Lightweight mode: same API, in-process instances, one shared router listener. */
describe('lightweight mode', () => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    const accounts: AccountSeedInput[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
      accountId: `acct-${i}`,
      earlyAccess: i < 3,
      useCases: ['fraud-score'],
      instanceCount: 1 + (i % 2),
      currentVersion: TEST_VERSIONS.current,
    }));
    fleet = await startLocalTestFleet({ mode: 'lightweight', accounts, initMs: 50 });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  it('boots many accounts, each behind its own router path on one shared listener', async () => {
    const inventory = await fleet.client.inventory();
    expect(inventory).toHaveLength(ACCOUNTS * 1.5);
    expect(inventory.every((i) => i.state === 'ready' && i.inPool)).toBe(true);
    const [first, last] = await Promise.all([
      fleet.client.accountState('acct-0'),
      fleet.client.accountState(`acct-${ACCOUNTS - 1}`),
    ]);
    expect(first.routerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/accounts\/acct-0$/);
    expect(new URL(first.routerUrl).port).toBe(new URL(last.routerUrl).port);
    const answer = await call('GET', `${last.routerUrl}/features/fraud-score?entity=e-5`);
    expect(answer.body).toMatchObject({
      version: TEST_VERSIONS.current,
      values: computeFeatures('fraud-score', 'e-5', 'v1'),
    });
    expect(
      (await call('GET', `${first.routerUrl.replace('acct-0', 'nobody')}/features/fraud-score?entity=e`)).status,
    ).toBe(404);
  });

  it('runs the same blue-green calls: provision, readiness, probe, pool, drain', async () => {
    const account = 'acct-7';
    const state = await fleet.client.accountState(account);
    const blue = state.pool.map((i) => i.instanceId);
    const slow = call('GET', `${state.routerUrl}/features/fraud-score?entity=e-1&delayMs=800`);
    await waitFor('the request to be in flight', async () =>
      (await fleet.client.instances(account, blue)).some((i) => i.inFlight > 0) ? true : undefined,
    );

    const green = await provisionReady(fleet.client, account, TEST_VERSIONS.next, 2, 'lw-swap');
    const probe = await fleet.client.probe(account, { instanceIds: green }, [
      { useCase: 'fraud-score', entity: 'e-1' },
      { useCase: 'fraud-score', entity: 'e-2' },
    ]);
    expect(probe.map((a) => a.instanceId)).toEqual(green);
    await fleet.client.setPool(account, green);
    const drained = await fleet.client.drain(account, blue, 10_000);
    expect(drained.find((d) => d.inFlight > 0)?.state).toBe('draining');
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(blue).toContain(answer.body.instanceId);
    await waitForStates(fleet.client, account, blue, (i) => i.state === 'stopped', 'blue to stop');
    expect((await fleet.client.accountState(account)).version).toBe(TEST_VERSIONS.next);
  });

  it('plays faults the same way', async () => {
    const account = 'acct-8';
    const failing = (
      await fleet.client.provision({
        accountId: account,
        version: TEST_VERSIONS.failsToStart,
        count: 1,
        requestId: 'lw-f',
      })
    ).map((i) => i.instanceId);
    const [failed] = await waitForStates(fleet.client, account, failing, (i) => i.state === 'failed', 'the failure');
    expect(failed.error).toContain('fails-to-start');
    await fleet.client.decommission(account, failing);

    const blue = (await fleet.client.accountState(account)).pool.map((i) => i.instanceId);
    const green = await provisionReady(fleet.client, account, TEST_VERSIONS.errorsAfterPromotion, 1, 'lw-e');
    await fleet.client.setPool(account, green);
    const watch = await fleet.client.probe(
      account,
      { router: true },
      Array.from({ length: 10 }, (_, i) => ({ useCase: 'fraud-score', entity: `e-${i}` })),
    );
    expect(watch.filter((a) => a.status === 500)).toHaveLength(5);
    await fleet.client.setPool(account, blue);
    await fleet.client.decommission(account, green);
  });
});
