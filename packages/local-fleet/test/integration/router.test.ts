import { createServer, type Server } from 'node:http';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, provisionReady, waitFor } from '../helpers';

const ACCOUNT = 'pair';

describe('account router (real processes)', () => {
  let fleet: LocalTestFleet;
  let routerUrl: string;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      accounts: [
        {
          accountId: ACCOUNT,
          useCases: ['fraud-score'],
          instanceCount: 2,
          currentVersion: TEST_VERSIONS.current,
          maintenanceWindow: { start: '-1h', end: '+10m' },
        },
      ],
    });
    routerUrl = (await fleet.client.accountState(ACCOUNT)).routerUrl;
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  it('balances requests round-robin across the pool', async () => {
    const pool = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
    expect(pool).toHaveLength(2);
    const servedBy: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const answer = await call('GET', `${routerUrl}/features/fraud-score?entity=e-${i}`);
      expect(answer.status).toBe(200);
      servedBy[answer.body.instanceId] = (servedBy[answer.body.instanceId] ?? 0) + 1;
    }
    expect(servedBy).toEqual({ [pool[0]]: 20, [pool[1]]: 20 });
    const status = await call('GET', `${routerUrl}/_router/status`);
    expect(status.body).toMatchObject({ accountId: ACCOUNT, pool, failed: 0 });
  });

  it('answers 503 with Retry-After and a JSON body in maintenance mode, and forwards when told to', async () => {
    await fleet.client.setMaintenance(ACCOUNT, { enabled: true });
    const page = await call('GET', `${routerUrl}/features/fraud-score?entity=e-1`);
    expect(page.status).toBe(503);
    const retryAfter = Number(page.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(500); // until the window ends, ~10 minutes away
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(page.body).toMatchObject({ error: 'maintenance', accountId: ACCOUNT, retryAfterSeconds: retryAfter });

    const fallback: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ servedBy: 'fallback', path: req.url }));
    });
    await new Promise<void>((resolve) => fallback.listen(0, '127.0.0.1', resolve));
    try {
      const port = (fallback.address() as { port: number }).port;
      const state = await fleet.client.setMaintenance(ACCOUNT, {
        enabled: true,
        forwardTo: `http://127.0.0.1:${port}/legacy`,
      });
      expect(state.maintenance).toEqual({ enabled: true, forwardTo: `http://127.0.0.1:${port}/legacy` });
      const forwarded = await call('GET', `${routerUrl}/features/fraud-score?entity=e-1`);
      expect(forwarded.body).toEqual({ servedBy: 'fallback', path: '/legacy/features/fraud-score?entity=e-1' });
    } finally {
      await new Promise((resolve) => fallback.close(resolve));
    }

    const back = await fleet.client.setMaintenance(ACCOUNT, { enabled: false });
    expect(back.maintenance).toEqual({ enabled: false });
    expect((await call('GET', `${routerUrl}/features/fraud-score?entity=e-1`)).status).toBe(200);
  });

  it('answers 503 when the pool is empty, and serves again once a pool is set', async () => {
    const pool = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
    const empty = await fleet.client.setPool(ACCOUNT, []);
    expect(empty.version).toBeNull();
    const answer = await call('GET', `${routerUrl}/features/fraud-score?entity=e-1`);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toContain('no instance in its request pool');
    await fleet.client.setPool(ACCOUNT, pool);
    expect((await call('GET', `${routerUrl}/features/fraud-score?entity=e-1`)).status).toBe(200);
  });

  it('ejects an instance that crashes and keeps serving from the rest', async () => {
    const extra = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.current, 1, 'crash-me');
    const before = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
    await fleet.client.setPool(ACCOUNT, [...before, ...extra]);
    const { pid } = (await call('GET', `${fleet.url}/instances/${extra[0]}`)).body;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 30; i++) {
      expect((await call('GET', `${routerUrl}/features/fraud-score?entity=e-${i}`)).status).toBe(200);
    }
    const [crashed] = await waitFor('the crash to be noticed', async () => {
      const instances = await fleet.client.instances(ACCOUNT, extra);
      return instances[0]?.state === 'failed' ? instances : undefined;
    });
    expect(crashed).toMatchObject({ state: 'failed', inPool: false });
    expect(crashed.error).toContain('signal SIGKILL');
    expect((await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId)).toEqual(before);
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).toContain(extra[0]);
    await fleet.client.decommission(ACCOUNT, extra);
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).not.toContain(extra[0]);
  });
});
