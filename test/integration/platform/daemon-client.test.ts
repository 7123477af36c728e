import { DaemonFleetProvider } from '../../../src/platform/daemon-client';
import { FleetError } from '../../../src/platform/provider';
import { startTestFleet, TEST_VERSIONS, type TestFleet } from '../../harness/fleet';
import { waitFor } from '../../harness/wait';

const ACCOUNT = 'early-1';

/** The orchestrator's provider against a real fleet daemon: which answers it may retry, and which not. */
describe('DaemonFleetProvider on a real fleet daemon', () => {
  let fleet: TestFleet;

  beforeAll(async () => {
    fleet = await startTestFleet({ mode: 'lightweight' });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  it('maps errors to FleetError: unknown version is not retryable, a conflict is', async () => {
    const unknown = await fleet.provider
      .provision({ accountId: ACCOUNT, version: '9.9.9', count: 1, requestId: 'v' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(FleetError);
    expect(unknown).toMatchObject({ status: 404, retryable: false });
    expect((unknown as Error).message).toContain('version 9.9.9 does not exist');

    const other = (await fleet.provider.accountState('regular-1')).pool[0].instanceId;
    const conflict = await fleet.provider.setPool(ACCOUNT, [other]).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ status: 409, retryable: true });
    expect((conflict as Error).message).toContain('belongs to account regular-1');
  });

  it('reads the version catalogue: a known version answers its entry (channel, publication time), the whole catalogue lists it, an unknown one is a 404 that retrying cannot change', async () => {
    const entry = await fleet.provider.getVersion(TEST_VERSIONS.next);
    expect(entry).toEqual({ version: TEST_VERSIONS.next, channel: 'stable', publishedAt: expect.any(String) });
    expect(await fleet.provider.listVersions()).toContainEqual(entry);
    const unknown = await fleet.provider.getVersion('9999.0.0').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(FleetError);
    expect(unknown).toMatchObject({ status: 404, retryable: false });
    expect((unknown as Error).message).toContain('version 9999.0.0 does not exist');
  });

  it('an account that is gone is not retryable', async () => {
    const put = await fetch(`${fleet.url}/accounts/new-one`, {
      method: 'PUT',
      body: JSON.stringify({ useCases: ['credit-limit'], instanceCount: 1 }),
    });
    expect(put.status).toBe(201);
    expect((await fetch(`${fleet.url}/accounts/new-one`, { method: 'DELETE' })).status).toBe(204);
    await expect(fleet.provider.getAccount('new-one')).rejects.toMatchObject({ status: 404, retryable: false });
  });

  it('a requestId reused with other parameters is not retryable', async () => {
    const first = await fleet.provider.provision({
      accountId: ACCOUNT,
      version: TEST_VERSIONS.next,
      count: 2,
      requestId: 'retry-me',
    });
    const reused = await fleet.provider
      .provision({ accountId: ACCOUNT, version: TEST_VERSIONS.patch, count: 2, requestId: 'retry-me' })
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(FleetError);
    expect(reused).toMatchObject({ status: 422, retryable: false });
    await fleet.provider.decommission(
      ACCOUNT,
      first.map((i) => i.instanceId),
    );
  });

  it('refuses a pool with an instance that is not ready, saying why', async () => {
    const ids = (
      await fleet.provider.provision({
        accountId: ACCOUNT,
        version: TEST_VERSIONS.neverReady,
        count: 1,
        requestId: 'f2',
      })
    ).map((i) => i.instanceId);
    await waitFor('the instance to start', async () =>
      (await fleet.provider.instances(ACCOUNT, ids))[0]?.state === 'starting' ? true : undefined,
    );
    const refused = await fleet.provider.setPool(ACCOUNT, ids).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FleetError);
    expect((refused as FleetError).message).toContain('only ready instances can join the request pool');
    await fleet.provider.decommission(ACCOUNT, ids);
  });

  it('answers a refused claim with its holder instead of an error, and releases only for the holder', async () => {
    const a = { workflowId: 'deploy-early-1/2026.47.0', runId: 'run-a' };
    const b = { workflowId: 'release-r/early-1/2026.47.0', runId: 'run-b' };
    expect(await fleet.provider.claimAccount(ACCOUNT, a)).toMatchObject({ granted: true, holder: a });
    expect(await fleet.provider.claimAccount(ACCOUNT, b)).toMatchObject({ granted: false, holder: a });
    expect(await fleet.provider.releaseAccount(ACCOUNT, b)).toMatchObject({ released: false, holder: a });
    expect(await fleet.provider.claimAccount(ACCOUNT, b, a)).toMatchObject({ granted: true, holder: b });
    expect(await fleet.provider.releaseAccount(ACCOUNT, b)).toMatchObject({ released: true, holder: null });
    await expect(fleet.provider.claimAccount('nobody', a)).rejects.toMatchObject({ status: 404, retryable: false });
  });

  describe('a fleet that requires a token', () => {
    const token = 'fleet-token-0123456789abcdef';
    let guarded: TestFleet;

    beforeAll(async () => {
      guarded = await startTestFleet({ mode: 'lightweight', token });
    });
    afterAll(() => guarded?.stop({ expectNoStrays: true }));

    it('answers the provider that sends it, and refuses one that does not with a FleetError that is not retried', async () => {
      expect(await guarded.provider.listAccounts()).toHaveLength(2);
      const refused = await new DaemonFleetProvider(guarded.url).listAccounts().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FleetError);
      expect(refused).toMatchObject({ status: 401, retryable: false });
      expect((refused as Error).message).toContain('FLEET_TOKEN');
    });
  });
});
