/**
 * GET /metrics: the routers' requests, latency and failures per account and the instances by state,
 * in Prometheus' text format; open like /healthz (read-only counts), also when the fleet has a token.
 */
import { startLocalTestFleet, type LocalTestFleet } from '../../src/testing';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('fleet metrics', () => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({ host: '127.0.0.1', token: TOKEN });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  const metrics = async () => {
    const answer = await fetch(`${fleet.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    return answer.text();
  };

  it('counts every request a router answers, by account and status class, with its latency', async () => {
    const [account] = await fleet.client.listAccounts();
    const { routerUrl } = await fleet.client.accountState(account.accountId);
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${routerUrl}/features/fraud-score?entity=e-${i}`)).status).toBe(200);
    expect((await fetch(`${routerUrl}/no-such-path`)).status).toBeGreaterThanOrEqual(400);

    const text = await metrics();
    const line = (name: string, labels: string) =>
      new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\d+(\\.\\d+)?)$`, 'm').exec(text)?.[1];
    expect(line('fleet_router_requests_total', `account_id="${account.accountId}",code="2xx"`)).toBe('3');
    expect(Number(line('fleet_router_requests_total', `account_id="${account.accountId}",code="4xx"`))).toBe(1);
    expect(line('fleet_router_request_duration_seconds_count', `account_id="${account.accountId}"`)).toBe('4');
    expect(line('fleet_instances', `account_id="${account.accountId}",state="ready"`)).toBe('1');
    expect(text).toMatch(/^# TYPE fleet_router_failures_total counter$/m);
  });

  it('needs no token, while the rest of the API still does', async () => {
    expect((await fetch(`${fleet.url}/accounts`)).status).toBe(401);
    await metrics();
  });
});
