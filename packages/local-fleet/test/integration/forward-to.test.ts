import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, rawRequest } from '../helpers';

const ACCOUNTS = [
  { accountId: 'shop', useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
  { accountId: 'other', useCases: ['fraud-score'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
];

/** Every way of writing "this machine" at a port: the URL parser folds most of them, DNS the rest. */
function spellings(port: number, path = ''): string[] {
  return [
    `http://127.0.0.1:${port}${path}`,
    `http://localhost:${port}${path}`,
    `http://LOCALHOST.:${port}${path}`,
    `http://shop.localhost:${port}${path}`,
    `http://127.1:${port}${path}`,
    `http://127.9.9.9:${port}${path}`,
    `http://2130706433:${port}${path}`,
    `http://0x7f000001:${port}${path}`,
    `http://0177.0.0.1:${port}${path}`,
    `http://0:${port}${path}`,
    `http://[::1]:${port}${path}`,
    `http://[::ffff:127.0.0.1]:${port}${path}`,
    `https://127.0.0.1:${port}${path}`,
  ];
}

const listener = (url: string) => `${new URL(url).protocol}//${new URL(url).host}`;
const pathOf = (url: string) => (new URL(url).pathname === '/' ? '' : new URL(url).pathname);

async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe.each(['process', 'lightweight'] as const)('maintenance forwardTo (%s mode)', (mode) => {
  let fleet: LocalTestFleet;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({ mode, accounts: ACCOUNTS });
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  async function refused(forwardTo: string): Promise<{ forwardTo: string; status: number; error: string }> {
    const answer = await call('PUT', `${fleet.url}/accounts/shop/maintenance`, { enabled: true, forwardTo });
    return { forwardTo, status: answer.status, error: String(answer.body?.error ?? '') };
  }

  async function expectNothingChanged(): Promise<void> {
    for (const { accountId } of ACCOUNTS) {
      const state = await fleet.client.accountState(accountId);
      expect(state.maintenance).toEqual({ enabled: false });
      expect((await call('GET', `${state.routerUrl}/features/fraud-score?entity=e-1`)).status).toBe(200);
    }
  }

  it("refuses any spelling of the fleet's own routers and control plane with 400", async () => {
    const own = new URL((await fleet.client.accountState('shop')).routerUrl);
    const other = new URL((await fleet.client.accountState('other')).routerUrl);
    const api = new URL(fleet.url);
    const targets = [
      ...spellings(Number(own.port), own.pathname === '/' ? '' : own.pathname),
      ...spellings(Number(other.port), other.pathname === '/' ? '/legacy' : other.pathname),
      ...spellings(Number(api.port)),
    ];
    const answers = [];
    for (const target of targets) answers.push(await refused(target));
    expect(answers.filter((a) => a.status !== 400 || !a.error.includes('loop'))).toEqual([]);
    await expectNothingChanged();
  });

  it('accepts only plain http(s) URLs', async () => {
    const answers = [];
    for (const target of [
      'ftp://127.0.0.1:21/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://u:p@127.0.0.1:9/',
    ]) {
      answers.push(await refused(target));
    }
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    await expectNothingChanged();
  });

  it('forwards to a server of its own on loopback; one that bounces back into the fleet costs one hop (508), not a loop', async () => {
    const shop = await fleet.client.accountState('shop');
    let bounces = 0;
    // A maintenance page server that (wrongly) proxies everything to the account's own router.
    const bouncer = createServer((req, res) => {
      bounces++;
      const back = http.request(
        `${shop.routerUrl}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(back);
    });
    const port = await listenOnLoopback(bouncer);
    try {
      const state = await fleet.client.setMaintenance('shop', { enabled: true, forwardTo: `http://127.0.0.1:${port}` });
      expect(state.maintenance).toEqual({ enabled: true, forwardTo: `http://127.0.0.1:${port}` });
      const answer = await call('GET', `${shop.routerUrl}/features/fraud-score?entity=e-1`);
      expect(answer.status).toBe(508);
      expect(bounces).toBe(1);
    } finally {
      await fleet.client.setMaintenance('shop', { enabled: false });
      await new Promise((resolve) => bouncer.close(resolve));
    }
    await expectNothingChanged();
  });

  it('streams a forwarded body to the maintenance server, and cuts one over 1 MiB with a 413', async () => {
    const shop = await fleet.client.accountState('shop');
    const received: number[] = [];
    // A maintenance server that reads the whole body before it answers with its size.
    const counter = createServer((req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => {
        received.push(size);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ size }));
      });
    });
    const port = await listenOnLoopback(counter);
    try {
      await fleet.client.setMaintenance('shop', { enabled: true, forwardTo: `http://127.0.0.1:${port}` });
      const small = await rawRequest(listener(shop.routerUrl), {
        method: 'POST',
        target: `${pathOf(shop.routerUrl)}/orders`,
        body: 'x'.repeat(1000),
      });
      expect(small).toMatchObject({ status: 200, body: { size: 1000 } });
      const size = 2 * 1024 * 1024;
      const large = await rawRequest(listener(shop.routerUrl), {
        method: 'POST',
        target: `${pathOf(shop.routerUrl)}/orders`,
        headers: ['transfer-encoding: chunked'],
        body: `${size.toString(16)}\r\n${'x'.repeat(size)}\r\n0\r\n\r\n`,
      });
      expect(large.status).toBe(413);
      expect(large.body.error).toContain('larger than 1048576 bytes');
      expect(received).toEqual([1000]);
    } finally {
      await fleet.client.setMaintenance('shop', { enabled: false });
      await new Promise((resolve) => counter.close(resolve));
    }
    await expectNothingChanged();
  });
});
