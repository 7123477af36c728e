/**
 * Requests no engine, router or control plane may fall to, and the check that a fleet is unharmed
 * after them: every instance still running in its pool, every account serving, nothing changed.
 */
import type { LocalTestFleet } from '../src/testing';
import { http as call, isAlive, type RawRequest } from './helpers';

export interface HostileCase {
  name: string;
  request: RawRequest;
  status: number;
}

const MiB = 1024 * 1024;

/** `path` is relative to the server's base path (a shared-listener router lives under /accounts/<id>). */
function cases(prefix: string, rows: Array<[string, RawRequest, number]>): HostileCase[] {
  return rows.map(([name, request, status]) => ({
    name,
    status,
    request: { ...request, target: typeof request.target === 'string' ? prefix + request.target : request.target },
  }));
}

/** Broken requests that reach whatever serves features: an account's router, or an engine instance. */
export function featureServerCases(prefix = ''): HostileCase[] {
  return cases(prefix, [
    ['a truncated percent-escape in the path', { target: '/features/%E0%A4%A?entity=x' }, 400],
    ['a percent-escape that is not UTF-8', { target: '/features/%E0%A4?entity=x' }, 400],
    ['a truncated percent-escape in the query', { target: '/features/fraud-score?entity=%E0%A4%A' }, 400],
    ['a percent-escape with non-hex digits in a query name', { target: '/features/fraud-score?entity=x&%ZZ=1' }, 400],
    ['an encoded NUL in the path', { target: '/features/fraud%00score?entity=x' }, 400],
    ['a dot segment', { target: '/features/../_admin/stats' }, 400],
    ['an encoded dot segment', { target: '/features/%2e%2E/_admin/stats' }, 400],
    ['an entity given twice', { target: '/features/fraud-score?entity=a&entity=b' }, 400],
    ['an entity longer than 200 characters', { target: `/features/fraud-score?entity=${'e'.repeat(201)}` }, 400],
    ['a URL of 9 KiB', { target: `/features/fraud-score?entity=e&pad=${'x'.repeat(9 * 1024)}` }, 414],
    [
      'a header of 20 KiB',
      { target: '/features/fraud-score?entity=e', headers: [`x-big: ${'a'.repeat(20_000)}`] },
      431,
    ],
    [
      'a content-length no parser can read',
      { target: '/features/fraud-score?entity=e', headers: ['content-length: 99999999999999999999'] },
      400,
    ],
    [
      'a content-length of 10 GiB',
      { target: '/features/fraud-score?entity=e', headers: ['content-length: 10737418240'] },
      413,
    ],
    [
      'a GET with a chunked body of 2 MiB',
      {
        target: '/features/fraud-score?entity=e',
        headers: ['transfer-encoding: chunked'],
        body: `${(2 * MiB).toString(16)}\r\n${'x'.repeat(2 * MiB)}\r\n0\r\n\r\n`,
      },
      400,
    ],
    [
      'a POST with a chunked body of 2 MiB',
      {
        method: 'POST',
        target: '/features/fraud-score?entity=e',
        headers: ['transfer-encoding: chunked'],
        body: `${(2 * MiB).toString(16)}\r\n${'x'.repeat(2 * MiB)}\r\n0\r\n\r\n`,
      },
      405,
    ],
    ['a method that is not HTTP', { method: 'EXPLODE', target: '/features/fraud-score?entity=e' }, 400],
  ]).concat([
    // Absolute-form targets keep their own authority: no prefix.
    { name: 'an absolute-form target that is not a URL', request: { target: 'http://[::1/features/x' }, status: 400 },
    { name: 'a target that is not a path', request: { target: '*' }, status: 400 },
  ]);
}

/** Requests a router must not forward to its instances at all: their admin endpoints are the daemon's. */
export function routerOnlyCases(prefix = ''): HostileCase[] {
  return cases(prefix, [
    ['the engine admin stats', { target: '/_admin/stats' }, 404],
    [
      'a promotion notice',
      {
        method: 'POST',
        target: '/_admin/promotion',
        headers: ['content-type: application/json'],
        body: '{"promoted":false}',
      },
      404,
    ],
    [
      'a promotion notice with an encoded underscore',
      { method: 'POST', target: '/%5Fadmin/promotion', body: '{"promoted":true}' },
      404,
    ],
  ]);
}

/** Broken calls to an engine's admin endpoint (the daemon's channel to it). */
export const engineAdminCases = (prefix = ''): HostileCase[] =>
  cases(prefix, [
    ['a promotion notice that is not JSON', { method: 'POST', target: '/_admin/promotion', body: '{"promoted"' }, 400],
    [
      'a promotion notice of 100 KiB',
      { method: 'POST', target: '/_admin/promotion', body: `{"promoted":true,"pad":"${'x'.repeat(100 * 1024)}"}` },
      413,
    ],
    [
      'a promotion notice nested 100,000 deep',
      { method: 'POST', target: '/_admin/promotion', body: '['.repeat(100_000) + ']'.repeat(100_000) },
      413,
    ],
    [
      'a promotion notice in HTML',
      {
        method: 'POST',
        target: '/_admin/promotion',
        headers: ['content-type: text/html'],
        body: '{"promoted":true}',
      },
      415,
    ],
  ]);

/** Broken calls to the control plane; each would change something if it got through. */
export function controlPlaneCases(accountId: string): HostileCase[] {
  const json = ['content-type: application/json'];
  return cases('', [
    ['a truncated percent-escape in the path', { target: '/accounts/%E0%A4%A' }, 400],
    ['a truncated percent-escape in the query', { target: `/accounts/${accountId}/instances?ids=%E0%A4%A` }, 400],
    ['an absolute-form target that is not a URL', { target: 'http://[::1/accounts' }, 400],
    ['a dot segment', { target: `/accounts/${accountId}/../../inventory` }, 400],
    ['a URL of 9 KiB', { target: `/accounts?pad=${'x'.repeat(9 * 1024)}` }, 414],
    ['a header of 20 KiB', { target: '/accounts', headers: [`x-big: ${'a'.repeat(20_000)}`] }, 431],
    [
      'a content-length no parser can read',
      { method: 'PUT', target: '/versions/evil', headers: ['content-length: 99999999999999999999'] },
      400,
    ],
    [
      'a content-length of 10 GiB',
      { method: 'PUT', target: '/versions/evil', headers: [...json, 'content-length: 10737418240'] },
      413,
    ],
    [
      'a chunked body of 2 MiB',
      {
        method: 'PUT',
        target: '/versions/evil',
        headers: [...json, 'transfer-encoding: chunked'],
        body: `${(2 * MiB).toString(16)}\r\n{"lineage":"${'x'.repeat(2 * MiB - 14)}"}\r\n0\r\n\r\n`,
      },
      413,
    ],
    [
      'a version body sent as HTML',
      { method: 'PUT', target: '/versions/evil', headers: ['content-type: text/html'], body: '{"lineage":"v1"}' },
      415,
    ],
    [
      'a version body in a charset other than UTF-8',
      {
        method: 'PUT',
        target: '/versions/evil',
        headers: ['content-type: application/json; charset=iso-8859-1'],
        body: '{"lineage":"v1"}',
      },
      415,
    ],
    ['a body that is not JSON', { method: 'PUT', target: '/versions/evil', headers: json, body: '{"lineage":' }, 400],
    [
      'JSON followed by garbage',
      { method: 'PUT', target: '/versions/evil', headers: json, body: '{"lineage":"v1"} trailing' },
      400,
    ],
    [
      'a body nested 100,000 deep',
      {
        method: 'PUT',
        target: '/versions/evil',
        headers: json,
        body: `{"lineage":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      },
      400,
    ],
    [
      'a pool of 300 instances',
      {
        method: 'PUT',
        target: `/accounts/${accountId}/pool`,
        headers: json,
        body: JSON.stringify({ instanceIds: Array.from({ length: 300 }, (_, i) => `i-${i}`) }),
      },
      400,
    ],
    [
      'an empty pool smuggled in with __proto__',
      {
        method: 'PUT',
        target: `/accounts/${accountId}/pool`,
        headers: json,
        body: '{"instanceIds":[],"__proto__":{"admin":true}}',
      },
      400,
    ],
    [
      'a request id of 500,000 characters',
      {
        method: 'POST',
        target: `/accounts/${accountId}/instances`,
        headers: json,
        body: JSON.stringify({ version: '2026.47.0', count: 1, requestId: 'r'.repeat(500_000) }),
      },
      400,
    ],
    [
      'a maintenance window start of 500,000 characters',
      {
        method: 'PATCH',
        target: `/accounts/${accountId}`,
        headers: json,
        body: JSON.stringify({ maintenanceWindow: { start: 'n'.repeat(500_000), end: '+1h' } }),
      },
      400,
    ],
  ]);
}

/** What a hostile request must leave untouched. */
export interface FleetSnapshot {
  instances: Array<{ instanceId: string; accountId: string; state: string; inPool: boolean; pid?: number }>;
  states: unknown[];
  versions: unknown;
  accounts: unknown;
}

export async function snapshotFleet(fleet: LocalTestFleet): Promise<FleetSnapshot> {
  const [inventory, accounts, versions] = await Promise.all([
    call('GET', `${fleet.url}/inventory`),
    fleet.client.listAccounts(),
    call('GET', `${fleet.url}/versions`),
  ]);
  const instances = (inventory.body.instances as FleetSnapshot['instances'])
    .map(({ instanceId, accountId, state, inPool, pid }) => ({ instanceId, accountId, state, inPool, pid }))
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  const states = await Promise.all(accounts.map((account) => fleet.client.accountState(account.accountId)));
  return { instances, states, versions: versions.body, accounts };
}

/** Throws unless the fleet is as it was: same instances in the same pools, every process alive, every account serving. */
export async function expectUnharmed(fleet: LocalTestFleet, before: FleetSnapshot): Promise<void> {
  const after = await snapshotFleet(fleet);
  expect(after).toEqual(before);
  const dead = after.instances.filter((instance) => instance.pid !== undefined && !isAlive(instance.pid));
  expect(dead).toEqual([]);
  for (const account of await fleet.client.listAccounts()) {
    const state = await fleet.client.accountState(account.accountId);
    const answer = await call('GET', `${state.routerUrl}/features/${account.useCases[0]}?entity=still-serving`);
    expect({ accountId: account.accountId, status: answer.status }).toEqual({
      accountId: account.accountId,
      status: 200,
    });
  }
}
