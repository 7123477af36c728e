import http from 'node:http';
import { computeFeatures } from '../../src/engine/features';
import { FleetApiError } from '../../src';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, isAlive, provisionReady, waitFor, waitForStates } from '../helpers';

const ACCOUNT = 'early-1';
const SLOW_INIT = '2026.48.0-slow-init';

describe('engine instances (real processes)', () => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({ versions: [{ version: SLOW_INIT, initMs: 1_000 }] });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  async function instanceView(instanceId: string): Promise<{ url?: string; pid?: number; state: string }> {
    return (await call('GET', `${fleet.url}/instances/${instanceId}`)).body;
  }

  it('becomes ready only after its initialization finishes', async () => {
    const [id] = (
      await fleet.client.provision({ accountId: ACCOUNT, version: SLOW_INIT, count: 1, requestId: 'slow-init' })
    ).map((i) => i.instanceId);
    const url = await waitFor('the instance to listen', async () => (await instanceView(id)).url);
    // Listening, alive, but still initializing: not ready, and it serves no features yet.
    expect((await call('GET', `${url}/healthz`)).status).toBe(200);
    const early = await call('GET', `${url}/readyz`);
    expect(early.status).toBe(503);
    expect(early.body).toMatchObject({ ready: false, reason: 'initializing' });
    expect((await call('GET', `${url}/features/fraud-score?entity=e-1`)).status).toBe(503);
    expect((await fleet.client.instances(ACCOUNT, [id]))[0]).toMatchObject({ state: 'starting', ready: false });

    await waitForStates(fleet.client, ACCOUNT, [id], (i) => i.ready, 'readiness');
    const ready = await call('GET', `${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.useCases).toEqual({ 'fraud-score': true, 'credit-limit': true });
    const answer = await call('GET', `${url}/features/fraud-score?entity=e-1`);
    expect(answer.body).toEqual({
      useCase: 'fraud-score',
      entity: 'e-1',
      version: SLOW_INIT,
      instanceId: id,
      values: computeFeatures('fraud-score', 'e-1', 'v1'),
    });
    expect((await call('GET', `${url}/features/churn-risk?entity=e-1`)).body.error).toContain('not configured');
    await fleet.client.decommission(ACCOUNT, [id]);
  });

  it('serves the same values as another healthy version of its lineage', async () => {
    const [green] = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 1, 'agree');
    const blue = (await fleet.client.accountState(ACCOUNT)).pool[0].instanceId;
    const requests = Array.from({ length: 30 }, (_, i) => ({
      useCase: i % 2 ? 'fraud-score' : 'credit-limit',
      entity: `e-${i}`,
    }));
    const [fromBlue, fromGreen] = await Promise.all([
      fleet.client.probe(ACCOUNT, { instanceIds: [blue] }, requests),
      fleet.client.probe(ACCOUNT, { instanceIds: [green] }, requests),
    ]);
    expect(fromBlue.every((a) => a.ok && a.version === TEST_VERSIONS.current)).toBe(true);
    expect(fromGreen.every((a) => a.ok && a.version === TEST_VERSIONS.next)).toBe(true);
    expect(fromGreen.map((a) => a.values)).toEqual(fromBlue.map((a) => a.values));
    await fleet.client.decommission(ACCOUNT, [green]);
  });

  it('provisions idempotently on the request id', async () => {
    const before = (await fleet.client.inventory()).length;
    const first = await fleet.client.provision({
      accountId: ACCOUNT,
      version: TEST_VERSIONS.next,
      count: 2,
      requestId: 'retry-me',
    });
    const again = await fleet.client.provision({
      accountId: ACCOUNT,
      version: TEST_VERSIONS.next,
      count: 2,
      requestId: 'retry-me',
    });
    expect(again.map((i) => i.instanceId)).toEqual(first.map((i) => i.instanceId));
    expect((await fleet.client.inventory()).length).toBe(before + 2);

    const reused = await fleet.client
      .provision({ accountId: ACCOUNT, version: TEST_VERSIONS.patch, count: 2, requestId: 'retry-me' })
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(FleetApiError);
    expect(reused).toMatchObject({ status: 422 });

    const ids = first.map((i) => i.instanceId);
    await fleet.client.decommission(ACCOUNT, ids);
    // Still the same answer after the instances are gone: a late retry does not start new ones.
    const late = await fleet.client.provision({
      accountId: ACCOUNT,
      version: TEST_VERSIONS.next,
      count: 2,
      requestId: 'retry-me',
    });
    expect(late.map((i) => [i.instanceId, i.state])).toEqual(ids.map((id) => [id, 'stopped']));
    expect((await fleet.client.inventory()).length).toBe(before);
  });

  it('on SIGTERM stops accepting connections, finishes in-flight requests and exits', async () => {
    const [id] = await provisionReady(fleet.client, ACCOUNT, TEST_VERSIONS.next, 1, 'sigterm');
    const { url, pid } = await instanceView(id);
    const slow = call('GET', `${url}/features/fraud-score?entity=e-7&delayMs=1200`);
    await waitFor('the slow request to arrive', async () =>
      (await call('GET', `${url}/_admin/stats`)).body.inFlight > 0 ? true : undefined,
    );
    process.kill(pid!, 'SIGTERM');
    await waitFor('the listener to close', () => freshConnectionRefused(url!));
    expect(isAlive(pid!)).toBe(true);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body.values).toEqual(computeFeatures('fraud-score', 'e-7', 'v1'));
    await waitFor('the process to exit', () => (isAlive(pid!) ? undefined : true));
    await fleet.client.decommission(ACCOUNT, [id]);
  });
});

/** Resolves true once a brand-new connection to `url` is refused. */
function freshConnectionRefused(url: string): Promise<true | undefined> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(undefined);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? true : undefined));
  });
}
