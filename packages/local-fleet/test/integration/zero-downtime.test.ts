import { startLoad } from '../../src/loadgen';
import type { FleetMode } from '../../src/instances/engine-launcher';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, isAlive, provisionReady, sleep, waitForStates } from '../helpers';

const ACCOUNT = 'busy';

/**
 * The zero-downtime promise of the blue-green swap: under steady load on the router, replacing the
 * whole pool (version A → version B) and draining A loses no request. No speed is asserted.
 */
describe.each<FleetMode>(['process', 'lightweight'])('pool swap under steady load (%s mode)', (mode) => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      mode,
      accounts: [
        {
          accountId: ACCOUNT,
          useCases: ['fraud-score', 'credit-limit'],
          instanceCount: 2,
          currentVersion: TEST_VERSIONS.current,
        },
      ],
    });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  it('swaps version A for version B and drains A with zero failed requests', async () => {
    const before = await fleet.client.accountState(ACCOUNT);
    const blue = before.pool.map((i) => i.instanceId);
    const pids = (await Promise.all(blue.map((id) => call('GET', `${fleet.url}/instances/${id}`)))).flatMap((a) =>
      a.body.pid ? [a.body.pid as number] : [],
    );
    const load = startLoad({
      url: before.routerUrl,
      durationMs: 4_000,
      connections: 8,
      useCases: ['fraud-score', 'credit-limit'],
      firstPhase: 'before',
    });

    await sleep(800);
    load.mark('during');
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 2, 'swap');
    const switched = await fleet.client.setPool(ACCOUNT, green);
    expect(switched.version).toBe(TEST_VERSIONS.next);
    await fleet.client.drain(ACCOUNT, blue, 10_000);
    await waitForStates(fleet.client, ACCOUNT, blue, (i) => i.state === 'stopped', 'blue to stop');
    load.mark('after');
    const report = await load.done;

    expect(report.failuresByCause).toEqual({});
    expect(report.failed).toBe(0);
    expect(report.phases.before.requests).toBeGreaterThan(0);
    expect(report.phases.during.requests).toBeGreaterThan(0);
    expect(report.phases.after.requests).toBeGreaterThan(0);
    expect(pids.filter(isAlive)).toEqual([]);
    // Everything after the switch came from B.
    const sample = await fleet.client.probe(ACCOUNT, { router: true }, [
      { useCase: 'fraud-score', entity: 'e-1' },
      { useCase: 'credit-limit', entity: 'e-2' },
    ]);
    expect(sample.map((a) => a.version)).toEqual([TEST_VERSIONS.next, TEST_VERSIONS.next]);
  });

  it('flips the pool back and forth under load without losing a request', async () => {
    const state = await fleet.client.accountState(ACCOUNT);
    const a = state.pool.map((i) => i.instanceId);
    const b = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 2, 'flip');
    const load = startLoad({ url: state.routerUrl, durationMs: 2_000, connections: 8 });
    for (let i = 0; i < 8; i++) {
      await sleep(150);
      await fleet.client.setPool(ACCOUNT, i % 2 === 0 ? b : a);
    }
    const report = await load.done;
    expect(report.failuresByCause).toEqual({});
    expect(report.requests).toBeGreaterThan(0);
    await fleet.client.drain(ACCOUNT, b, 10_000);
    await waitForStates(fleet.client, ACCOUNT, b, (i) => i.state === 'stopped', 'b to stop');
  });
});
