import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, isAlive, provisionReady, waitFor, waitForStates } from '../helpers';

const ACCOUNT = 'early-1';

describe('drain and decommission (real processes)', () => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      accounts: [
        { accountId: ACCOUNT, useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
      ],
    });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  async function pidOf(instanceId: string): Promise<number> {
    return (await call('GET', `${fleet.url}/instances/${instanceId}`)).body.pid;
  }

  it('lets a slow in-flight request finish before the process exits', async () => {
    const state = await fleet.client.accountState(ACCOUNT);
    const [blue] = state.pool.map((i) => i.instanceId);
    const pid = await pidOf(blue);
    // Green is ready before the slow request starts, so nothing slow (a loaded machine's process
    // start) stands between the request and the drain.
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 1, 'drain-slow');
    const slow = call('GET', `${state.routerUrl}/features/fraud-score?entity=e-1&delayMs=5000`);
    await waitFor('the request to be in flight', async () =>
      (await fleet.client.instances(ACCOUNT, [blue]))[0].inFlight > 0 ? true : undefined,
    );
    await fleet.client.setPool(ACCOUNT, green);
    const statuses = await fleet.client.drain(ACCOUNT, [blue], 30_000);
    expect(statuses).toEqual([{ instanceId: blue, state: 'draining', inFlight: 1 }]);

    const [draining] = await fleet.client.instances(ACCOUNT, [blue]);
    expect(draining).toMatchObject({ state: 'draining', inPool: false, ready: false });
    expect(draining.inFlight).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);
    // New requests already go to green.
    expect((await call('GET', `${state.routerUrl}/features/fraud-score?entity=e-2`)).body.instanceId).toBe(green[0]);

    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body.instanceId).toBe(blue);
    await waitForStates(fleet.client, ACCOUNT, [blue], (i) => i.state === 'stopped', 'blue to stop');
    await waitFor('the blue process to exit', () => (isAlive(pid) ? undefined : true));
    // Draining again is harmless.
    expect(await fleet.client.drain(ACCOUNT, [blue], 1_000)).toEqual([
      { instanceId: blue, state: 'stopped', inFlight: 0 },
    ]);
  });

  it('kills an instance whose requests outlast the drain timeout; the router re-sends that GET to the new pool', async () => {
    const state = await fleet.client.accountState(ACCOUNT);
    const [blue] = state.pool.map((i) => i.instanceId);
    const pid = await pidOf(blue);
    const stuck = call('GET', `${state.routerUrl}/features/fraud-score?entity=e-1&delayMs=2500`);
    await waitFor('the request to be in flight', async () =>
      (await fleet.client.instances(ACCOUNT, [blue]))[0].inFlight > 0 ? true : undefined,
    );
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.patch, 1, 'drain-timeout');
    await fleet.client.setPool(ACCOUNT, green);
    await fleet.client.drain(ACCOUNT, [blue], 200);
    await waitForStates(fleet.client, ACCOUNT, [blue], (i) => i.state === 'stopped', 'the stuck instance to be killed');
    expect(isAlive(pid)).toBe(false);
    // Its connection was cut before any answer; like nginx's proxy_next_upstream the router retried once.
    const answer = await stuck;
    expect(answer.status).toBe(200);
    expect(answer.body.instanceId).toBe(green[0]);
    expect((await call('GET', `${state.routerUrl}/_router/status`)).body.retried).toBe(1);
  });

  it('decommissions at once, forgets the instances, and ignores unknown ids', async () => {
    const ids = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 2, 'to-forget');
    const pids = await Promise.all(ids.map(pidOf));
    await fleet.client.decommission(ACCOUNT, [...ids, 'never-existed']);
    expect(await fleet.client.instances(ACCOUNT, ids)).toEqual([]);
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).not.toEqual(expect.arrayContaining([ids[0]]));
    expect(pids.some(isAlive)).toBe(false);
    await fleet.client.decommission(ACCOUNT, ids); // again: nothing to do, no error
  });

  it("refuses to drain or decommission another account's instance", async () => {
    await fleet.client.decommission(ACCOUNT, []);
    const [id] = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
    await call('PUT', `${fleet.url}/accounts/other`, { useCases: ['fraud-score'] });
    const drain = await call('POST', `${fleet.url}/accounts/other/drain`, { instanceIds: [id] });
    expect(drain.status).toBe(409);
    expect(drain.body.error).toContain(`belongs to account ${ACCOUNT}`);
    expect((await call('POST', `${fleet.url}/accounts/other/decommission`, { instanceIds: [id] })).status).toBe(409);
    expect((await fleet.client.instances(ACCOUNT, [id]))[0]).toMatchObject({ state: 'ready', inPool: true });
    expect((await call('DELETE', `${fleet.url}/accounts/other`)).status).toBe(204);
  });
});
