/**
 * One swap per account at a time: the account claim is a compare-and-set lease held by a swap
 * (its workflow id and first run id), and every instance remembers the provision request that
 * started it, so a swap can clean up exactly what it started.
 */
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, provisionReady } from '../helpers';

const A = { workflowId: 'release-r1/claim-1/2026.47.0', runId: 'run-a' };
const B = { workflowId: 'deploy-claim-1/2026.47.1', runId: 'run-b' };
const C = { workflowId: 'deploy-claim-1/2026.47.1', runId: 'run-c' };

describe('account claims and provision request ids (lightweight fleet)', () => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      mode: 'lightweight',
      initMs: 50,
      accounts: [
        { accountId: 'claim-1', useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
        { accountId: 'claim-2', useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
      ],
    });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  it('grants a free account, re-grants its holder, refuses anyone else and names the holder', async () => {
    expect(await fleet.client.accountClaim('claim-1')).toEqual({ accountId: 'claim-1', holder: null });
    const first = await fleet.client.claimAccount('claim-1', A);
    expect(first).toMatchObject({ granted: true, accountId: 'claim-1', holder: A, since: expect.any(String) });
    expect(await fleet.client.claimAccount('claim-1', A)).toEqual(first);

    const refused = await call('PUT', `${fleet.url}/accounts/claim-1/claim`, { holder: B });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ granted: false, holder: A, since: first.since });
    expect(refused.body.error).toContain(A.workflowId);
    expect(await fleet.client.claimAccount('claim-1', B)).toMatchObject({ granted: false, holder: A });
    // Another run of the same workflow id is another holder.
    expect(await fleet.client.claimAccount('claim-1', { ...A, runId: 'other' })).toMatchObject({ granted: false });
    // Claims are per account.
    expect(await fleet.client.claimAccount('claim-2', B)).toMatchObject({ granted: true, holder: B });
    expect(await fleet.client.releaseAccount('claim-2', B)).toMatchObject({ released: true, holder: null });
  });

  it('takes a claim over only from the holder it names (compare-and-set)', async () => {
    expect(await fleet.client.claimAccount('claim-1', B, C)).toMatchObject({ granted: false, holder: A });
    const taken = await fleet.client.claimAccount('claim-1', B, A);
    expect(taken).toMatchObject({ granted: true, holder: B });
    expect(await fleet.client.claimAccount('claim-1', C, A)).toMatchObject({ granted: false, holder: B });
  });

  it('releases only for its holder, and a release is idempotent', async () => {
    expect(await fleet.client.releaseAccount('claim-1', A)).toMatchObject({ released: false, holder: B });
    expect(await fleet.client.releaseAccount('claim-1', B)).toMatchObject({ released: true, holder: null });
    expect(await fleet.client.releaseAccount('claim-1', B)).toMatchObject({ released: false, holder: null });
    expect(await fleet.client.claimAccount('claim-1', C)).toMatchObject({ granted: true, holder: C });
    await fleet.client.releaseAccount('claim-1', C);
  });

  it('refuses bad claims with a 400 and unknown accounts with a 404, changing nothing', async () => {
    for (const body of [{}, { holder: { workflowId: '', runId: 'x' } }, { holder: A, extra: 1 }, { holder: 'A' }]) {
      expect((await call('PUT', `${fleet.url}/accounts/claim-1/claim`, body)).status).toBe(400);
    }
    expect((await call('POST', `${fleet.url}/accounts/claim-1/claim/release`, {})).status).toBe(400);
    expect((await call('PUT', `${fleet.url}/accounts/nobody/claim`, { holder: A })).status).toBe(404);
    expect(await fleet.client.accountClaim('claim-1')).toEqual({ accountId: 'claim-1', holder: null });
  });

  it('tells which provision request started each instance, also once it has stopped', async () => {
    const ids = await provisionReady(fleet.client, 'claim-2', TEST_VERSIONS.next, 2, 'provision/run-x/swap-x');
    const listed = await fleet.client.instances('claim-2', ids);
    expect(listed.map((i) => i.requestId)).toEqual(['provision/run-x/swap-x', 'provision/run-x/swap-x']);
    const [booted] = (await fleet.client.accountState('claim-2')).pool;
    expect(booted.requestId).toMatch(/^boot\//);
    await fleet.client.decommission('claim-2', ids);
    const again = await fleet.client.provision({
      accountId: 'claim-2',
      version: TEST_VERSIONS.next,
      count: 2,
      requestId: 'provision/run-x/swap-x',
    });
    expect(again.map((i) => [i.state, i.requestId])).toEqual([
      ['stopped', 'provision/run-x/swap-x'],
      ['stopped', 'provision/run-x/swap-x'],
    ]);
  });
});
