import { FleetApiError } from '../../src';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, provisionReady, waitFor } from '../helpers';

const ACCOUNT = 'early-1';

describe('control-plane API (real processes)', () => {
  let fleet: LocalTestFleet;

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
        { accountId: 'regular-1', useCases: ['churn-risk'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
      ],
    });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  /** Everything a bad call must leave untouched. */
  async function snapshot() {
    const [accounts, inventory, state, versions] = await Promise.all([
      fleet.client.listAccounts(),
      fleet.client.inventory(),
      fleet.client.accountState(ACCOUNT),
      call('GET', `${fleet.url}/versions`),
    ]);
    return { accounts, inventory, state, versions: versions.body };
  }

  it('lists and gets accounts', async () => {
    const accounts = await fleet.client.listAccounts();
    expect(accounts.map((a) => a.accountId)).toEqual([ACCOUNT, 'regular-1']);
    expect(await fleet.client.getAccount(ACCOUNT)).toEqual({
      accountId: ACCOUNT,
      earlyAccess: true,
      internal: false,
      useCases: ['fraud-score'],
      instanceCount: 1,
    });
    const state = await fleet.client.accountState(ACCOUNT);
    expect(state).toMatchObject({
      accountId: ACCOUNT,
      version: TEST_VERSIONS.current,
      maintenance: { enabled: false },
    });
    expect(state.pool).toHaveLength(1);
    expect(state.routerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([
    ['POST', '/accounts/early-1/instances', { version: TEST_VERSIONS.next, count: 0, requestId: 'x' }, 400, 'count'],
    ['POST', '/accounts/early-1/instances', { version: 'no spaces allowed', count: 1, requestId: 'x' }, 400, 'version'],
    ['POST', '/accounts/early-1/instances', { version: TEST_VERSIONS.next, count: 1 }, 400, 'requestId'],
    ['POST', '/accounts/early-1/instances', '{not json', 400, 'not valid JSON'],
    [
      'POST',
      '/accounts/early-1/instances',
      { version: TEST_VERSIONS.next, count: 1, requestId: 'x', extra: true },
      400,
      'Unrecognized key',
    ],
    [
      'POST',
      '/accounts/early-1/instances',
      { version: '9.9.9', count: 1, requestId: 'x' },
      404,
      'version 9.9.9 does not exist',
    ],
    [
      'POST',
      '/accounts/nobody/instances',
      { version: TEST_VERSIONS.next, count: 1, requestId: 'x' },
      404,
      'account nobody does not exist',
    ],
    ['PUT', '/accounts/early-1/pool', { instanceIds: 'not-a-list' }, 400, 'instanceIds'],
    ['PUT', '/accounts/early-1/pool', { instanceIds: ['ghost'] }, 404, 'instance ghost does not exist'],
    ['POST', '/accounts/early-1/drain', { instanceIds: [], timeoutMs: -1 }, 400, 'timeoutMs'],
    ['PUT', '/accounts/early-1/maintenance', { enabled: true, forwardTo: 'not a url' }, 400, 'forwardTo'],
    ['PUT', '/accounts/early-1/maintenance', {}, 400, '{"enabled": false}'],
    ['POST', '/accounts/early-1/probe', { target: { router: true }, requests: [] }, 400, 'requests'],
    ['PUT', '/accounts/Bad Id!', { useCases: ['fraud-score'] }, 400, 'accountId'],
    ['PUT', '/accounts/new-one', { useCases: [] }, 400, 'at least one use case'],
    ['PUT', '/accounts/new-one', { useCases: ['fraud-score'], currentVersion: '9.9.9' }, 404, 'does not exist'],
    ['PATCH', '/accounts/early-1', { instanceCount: 'two' }, 400, 'instanceCount'],
    ['PATCH', '/accounts/early-1', { internal: 'yes' }, 400, 'internal'],
    ['PUT', '/versions/2026.50.0', { initMs: -5 }, 400, 'initMs'],
    ['PUT', '/versions/2026.50.0', { channel: 'beta' }, 400, 'channel'],
    ['PUT', '/versions/2026.50.0', { publishedAt: 'yesterday' }, 400, 'publishedAt'],
    ['GET', '/accounts/early-1/instances?ids=bad%20id', undefined, 400, 'ids'],
    ['DELETE', '/inventory', undefined, 405, 'use GET'],
    ['GET', '/nowhere', undefined, 404, 'GET / lists them'],
  ])('%s %s with bad input answers %p and changes nothing', async (method, path, body, status, message) => {
    const before = await snapshot();
    const answer = await call(method, `${fleet.url}${path}`, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toEqual(expect.stringContaining(message));
    if (status === 400 && typeof body === 'object') expect(Array.isArray(answer.body.issues)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  // How the orchestrator's provider maps these answers (retryable or not) is tested in test/integration/platform.
  it('answers an unknown version with 404 and a conflict with 409, saying why', async () => {
    const unknown = await fleet.client
      .provision({ accountId: ACCOUNT, version: '9.9.9', count: 1, requestId: 'v' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(FleetApiError);
    expect(unknown).toMatchObject({ status: 404 });
    expect((unknown as Error).message).toContain('version 9.9.9 does not exist');

    const other = (await fleet.client.accountState('regular-1')).pool[0].instanceId;
    const conflict = await fleet.client.setPool(ACCOUNT, [other]).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409 });
    expect((conflict as Error).message).toContain('belongs to account regular-1');
  });

  it('refuses a pool that mixes versions, and switches atomically to a valid one', async () => {
    const blue = (await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId);
    const green = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 1, 'mixed');
    const mixed = await call('PUT', `${fleet.url}/accounts/${ACCOUNT}/pool`, { instanceIds: [...blue, ...green] });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error).toContain('a request pool serves one version');
    expect((await fleet.client.accountState(ACCOUNT)).pool.map((i) => i.instanceId)).toEqual(blue);

    const switched = await fleet.client.setPool(ACCOUNT, green);
    expect(switched.version).toBe(TEST_VERSIONS.next);
    expect(switched.pool.map((i) => [i.instanceId, i.inPool])).toEqual([[green[0], true]]);
    expect((await fleet.client.instances(ACCOUNT, blue))[0]).toMatchObject({ inPool: false, state: 'ready' });
    await fleet.client.setPool(ACCOUNT, blue);
    await fleet.client.decommission(ACCOUNT, green);
  });

  it('creates, changes and removes accounts; a new account with currentVersion boots', async () => {
    const created = await call('PUT', `${fleet.url}/accounts/new-one`, {
      useCases: ['credit-limit'],
      instanceCount: 1,
      currentVersion: TEST_VERSIONS.current,
      maintenanceWindow: { start: '2026-12-01T02:00:00Z', end: '2026-12-01T04:00:00Z' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      accountId: 'new-one',
      earlyAccess: false,
      internal: false,
      useCases: ['credit-limit'],
      instanceCount: 1,
      maintenanceWindow: { start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T04:00:00.000Z' },
    });
    const state = await waitFor('the new account to boot', async () => {
      const s = await fleet.client.accountState('new-one');
      return s.pool.length === 1 ? s : undefined;
    });
    expect((await call('GET', `${state.routerUrl}/features/credit-limit?entity=e-1`)).status).toBe(200);

    const patched = await call('PATCH', `${fleet.url}/accounts/new-one`, {
      earlyAccess: true,
      internal: true,
      maintenanceWindow: null,
    });
    expect(patched.body).toEqual({
      accountId: 'new-one',
      earlyAccess: true,
      internal: true,
      useCases: ['credit-limit'],
      instanceCount: 1,
    });

    const ids = state.pool.map((i) => i.instanceId);
    expect((await call('DELETE', `${fleet.url}/accounts/new-one`)).status).toBe(204);
    expect((await fleet.client.inventory()).map((i) => i.instanceId)).not.toContain(ids[0]);
    await expect(fleet.client.getAccount('new-one')).rejects.toMatchObject({ status: 404 });
  });

  it('lists its endpoints', async () => {
    const root = await call('GET', `${fleet.url}/`);
    expect(root.body.endpoints).toEqual(
      expect.arrayContaining([expect.stringContaining('POST /accounts/:accountId/drain')]),
    );
  });
});
