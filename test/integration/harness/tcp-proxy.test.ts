import http from 'node:http';
import type net from 'node:net';
import { startTcpProxy, type TcpProxy } from '../../../src/dev-stack/tcp-proxy';

let server: http.Server;
let proxy: TcpProxy;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy = await startTcpProxy({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => server.close(resolve));
});

const get = (signal = AbortSignal.timeout(2000)) =>
  fetch(`${proxy.url}/`, { signal }).then(async (response) => `${response.status} ${await response.text()}`);

test('passes requests through, refuses them while cut, and passes them again once restored', async () => {
  expect(await get()).toBe('200 ok');
  proxy.cut();
  expect(proxy.isCut).toBe(true);
  await expect(get()).rejects.toThrow();
  proxy.restore();
  expect(await get()).toBe('200 ok');
});

test('cutFor restores the line by itself', async () => {
  const cut = proxy.cutFor(300);
  await expect(get()).rejects.toThrow();
  await cut;
  expect(await get()).toBe('200 ok');
});
