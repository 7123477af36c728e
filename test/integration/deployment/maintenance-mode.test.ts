/**
 * Each account chooses what its clients get while a major upgrade holds it in maintenance: the
 * fleet's maintenance page, or bypass the engine to its own fallback. The swap's maintenance
 * activity against the real fleet daemon, and requests through the account's real router.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeploymentActivities } from '../../../src/activities/deployment';
import { createLogger } from '../../../src/logging/logger';
import { oneInstanceAccount, startTestFleet, type TestFleet } from '../../harness/fleet';

let fleet: TestFleet;
let fallback: http.Server;
let fallbackUrl: string;

beforeAll(async () => {
  fallback = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ from: 'fallback', values: { score: 0.5 } }));
  });
  await new Promise<void>((resolve) => fallback.listen(0, '127.0.0.1', resolve));
  fallbackUrl = `http://127.0.0.1:${(fallback.address() as AddressInfo).port}`;
  fleet = await startTestFleet({
    mode: 'lightweight',
    accounts: [
      { ...oneInstanceAccount('bypassing', false), maintenanceMode: 'bypass', fallbackUrl },
      oneInstanceAccount('paging', false),
    ],
  });
}, 60_000);

afterAll(async () => {
  await fleet?.stop({ expectNoStrays: true });
  await new Promise((resolve) => fallback?.close(resolve));
});

async function maintenanceOn(accountId: string): Promise<void> {
  const activities = createDeploymentActivities({ fleet: fleet.provider, logger: createLogger('silent') });
  const mock = new MockActivityEnvironment({ activityType: 'test' }, { logger: new DefaultLogger('ERROR') });
  await mock.run(activities.setMaintenanceMode, { accountId, version: '2027.1.0', enabled: true });
}

async function ask(accountId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const { routerUrl } = await fleet.provider.accountState(accountId);
  const answer = await fetch(`${routerUrl}/features/fraud-score/e-1`);
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

test('an account that chose bypass is forwarded to its fallback during maintenance', async () => {
  await maintenanceOn('bypassing');
  expect((await fleet.provider.accountState('bypassing')).maintenance).toEqual({
    enabled: true,
    forwardTo: fallbackUrl,
  });
  expect(await ask('bypassing')).toEqual({ status: 200, body: { from: 'fallback', values: { score: 0.5 } } });
});

test('an account that chose nothing gets the maintenance page', async () => {
  await maintenanceOn('paging');
  expect((await fleet.provider.accountState('paging')).maintenance).toEqual({ enabled: true });
  const answer = await ask('paging');
  expect(answer.status).toBe(503);
  expect(answer.body.error).toBe('maintenance');
});

test('bypass without a fallback is refused by the registry, saying what to add', async () => {
  const answer = await fetch(`${fleet.url}/accounts/paging`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ maintenanceMode: 'bypass' }),
  });
  expect(answer.status).toBe(400);
  expect(await answer.text()).toContain('maintenanceMode \\"bypass\\" needs a fallbackUrl');
});
