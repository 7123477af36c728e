import { isEntityCorrupted } from '../../src/engine/features';
import { FleetApiError, type FeatureRequest } from '../../src';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, provisionReady, sleep, waitFor, waitForStates } from '../helpers';

const ACCOUNT = 'early-1';
const requests = (n: number): FeatureRequest[] =>
  Array.from({ length: n }, (_, i) => ({ useCase: 'fraud-score', entity: `e-${i}` }));

/** Each fault is caught by exactly one check of the blue-green swap; these tests show the instance side. */
describe('fault injection per version (real processes)', () => {
  let fleet: LocalTestFleet;
  let blue: string[];

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      accounts: [
        {
          accountId: ACCOUNT,
          earlyAccess: true,
          useCases: ['fraud-score'],
          instanceCount: 1,
          currentVersion: TEST_VERSIONS.current,
        },
      ],
    });
    blue = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  /** What the swap does on rollback: pool back on blue, green decommissioned. */
  async function rollBack(green: string[]): Promise<void> {
    await fleet.client.setPool(ACCOUNT, blue);
    await fleet.client.decommission(ACCOUNT, green);
  }

  it('fails-to-start: the instance fails during initialization and stays listed until decommissioned', async () => {
    const ids = (
      await fleet.client.provision({
        accountId: ACCOUNT,
        version: TEST_VERSIONS.failsToStart,
        count: 1,
        requestId: 'f1',
      })
    ).map((i) => i.instanceId);
    const [failed] = await waitForStates(
      fleet.client,
      ACCOUNT,
      ids,
      (i) => i.state !== 'starting',
      'the instance to fail',
    );
    expect(failed).toMatchObject({ state: 'failed', ready: false });
    expect(failed.error).toContain('fails-to-start');
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).toContain(ids[0]);
    await expect(fleet.client.setPool(ACCOUNT, ids)).rejects.toMatchObject({ status: 409 });
    await fleet.client.decommission(ACCOUNT, ids);
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).not.toContain(ids[0]);
  });

  it('never-ready: the instance runs but its readiness never turns true', async () => {
    const ids = (
      await fleet.client.provision({
        accountId: ACCOUNT,
        version: TEST_VERSIONS.neverReady,
        count: 1,
        requestId: 'f2',
      })
    ).map((i) => i.instanceId);
    const url = await waitFor(
      'the instance to listen',
      async () => (await call('GET', `${fleet.url}/instances/${ids[0]}`)).body.url as string | undefined,
    );
    await sleep(600); // four times its initialization time
    expect((await fleet.client.instances(ACCOUNT, ids))[0]).toMatchObject({ state: 'starting', ready: false });
    expect((await call('GET', `${url}/healthz`)).status).toBe(200);
    expect((await call('GET', `${url}/readyz`)).status).toBe(503);
    const refused = await fleet.client.setPool(ACCOUNT, ids).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FleetApiError);
    expect((refused as FleetApiError).message).toContain('only ready instances can join the request pool');
    await fleet.client.decommission(ACCOUNT, ids);
  });

  it('wrong-values: a fixed fraction of entities get different values than blue serves', async () => {
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.wrongValues, 1, 'f3');
    const sample = requests(200);
    const [fromBlue, fromGreen] = await Promise.all([
      fleet.client.probe(ACCOUNT, { instanceIds: blue }, sample),
      fleet.client.probe(ACCOUNT, { instanceIds: green }, sample),
    ]);
    expect(fromGreen.every((a) => a.ok)).toBe(true);
    const differing = sample
      .filter((_, i) => JSON.stringify(fromBlue[i].values) !== JSON.stringify(fromGreen[i].values))
      .map((r) => r.entity);
    expect(differing).toEqual(
      sample.map((r) => r.entity).filter((entity) => isEntityCorrupted(TEST_VERSIONS.wrongValues, entity, 0.3)),
    );
    expect(differing.length / sample.length).toBeGreaterThan(0.15);
    expect(differing.length / sample.length).toBeLessThan(0.45);
    await fleet.client.decommission(ACCOUNT, green);
  });

  it('errors-after-promotion: healthy through validation, failing once in the pool', async () => {
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.errorsAfterPromotion, 1, 'f4');
    const validation = await fleet.client.probe(ACCOUNT, { instanceIds: green }, requests(20));
    expect(validation.every((a) => a.ok)).toBe(true);

    await fleet.client.setPool(ACCOUNT, green);
    const watch = await fleet.client.probe(ACCOUNT, { router: true }, requests(20));
    const failures = watch.filter((a) => !a.ok);
    expect(failures).toHaveLength(10); // rate 0.5, spread evenly
    expect(failures.every((a) => a.status === 500 && a.error?.includes('errors-after-promotion'))).toBe(true);
    await rollBack(green);
    expect((await fleet.client.probe(ACCOUNT, { router: true }, requests(10))).every((a) => a.ok)).toBe(true);
  });

  it('slow-after-promotion: quick through validation, every answer delayed once in the pool', async () => {
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.slowAfterPromotion, 1, 'f5');
    const validation = await fleet.client.probe(ACCOUNT, { instanceIds: green }, requests(5));
    expect(validation.every((a) => a.ok)).toBe(true);
    await fleet.client.setPool(ACCOUNT, green);
    const watch = await fleet.client.probe(ACCOUNT, { router: true }, requests(8));
    expect(watch.every((a) => a.ok && a.instanceId === green[0])).toBe(true);
    // A lower bound, not a speed assertion: the fault adds 400 ms to every answer.
    expect(Math.min(...watch.map((a) => a.latencyMs))).toBeGreaterThanOrEqual(400);
    const stats = (await call('GET', `${fleet.url}/instances/${green[0]}`)).body;
    expect(stats.fault).toBe('slow-after-promotion');
    await rollBack(green);
  });

  it('faults can be set through the API; new instances pick them up', async () => {
    const put = await call('PUT', `${fleet.url}/versions/2026.49.0`, {
      fault: { type: 'errors-after-promotion', rate: 1 },
      initMs: 50,
    });
    expect(put.status).toBe(201);
    expect(put.body).toEqual({
      version: '2026.49.0',
      lineage: 'v1',
      initMs: 50,
      channel: 'stable',
      publishedAt: expect.any(String),
      fault: { type: 'errors-after-promotion', rate: 1 },
    });
    const bad = await call('PUT', `${fleet.url}/versions/2026.49.0`, { fault: { type: 'explodes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('fault type must be one of');
    const green = await provisionReady(fleet.client, ACCOUNT, '2026.49.0', 1, 'f6');
    await fleet.client.setPool(ACCOUNT, green);
    expect((await fleet.client.probe(ACCOUNT, { router: true }, requests(4))).every((a) => a.status === 500)).toBe(
      true,
    );
    await rollBack(green);
    const cleared = await call('PUT', `${fleet.url}/versions/2026.49.0`, { fault: null });
    expect(cleared.body).toEqual({
      version: '2026.49.0',
      lineage: 'v1',
      initMs: 50,
      channel: 'stable',
      publishedAt: put.body.publishedAt,
    });
  });
});
