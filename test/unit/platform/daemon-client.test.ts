import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DaemonFleetProvider, fleetErrorFromResponse, isRetryableStatus } from '../../../src/platform/daemon-client';
import { FleetError } from '../../../src/platform/provider';

describe('HTTP status → FleetError', () => {
  it.each([
    [400, false],
    [404, false],
    [405, false],
    [422, false],
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [503, true],
    [0, true],
  ])('status %p is retryable: %p', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it("carries the daemon's error message", () => {
    const error = fleetErrorFromResponse(
      'POST',
      '/accounts/a/instances',
      404,
      JSON.stringify({ error: 'version 9 does not exist' }),
    );
    expect(error).toBeInstanceOf(FleetError);
    expect(error.message).toBe('fleet daemon answered 404 to POST /accounts/a/instances: version 9 does not exist');
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect(fleetErrorFromResponse('GET', '/x', 502, 'Bad gateway').message).toContain('Bad gateway');
  });
});

/** What the local server saw of one request. */
interface SeenRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
  /** The client's end of the connection: the same port, the same kept-alive connection. */
  clientPort?: number;
}

/** A local HTTP server answering with `answer` (or dropping the connection, or never answering); it records each request. */
async function answeringServer(
  answer: (request: SeenRequest, index: number) => { status: number; body: string } | 'reset' | 'silent',
): Promise<{ url: string; seen: SeenRequest[]; close: () => Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
        clientPort: request.socket.remotePort,
      };
      seen.push(entry);
      const reply = answer(entry, seen.length - 1);
      if (reply === 'reset') return request.socket.destroy();
      if (reply === 'silent') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('DaemonFleetProvider', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  async function serve(...args: Parameters<typeof answeringServer>) {
    const server = await answeringServer(...args);
    closers.push(server.close);
    return server;
  }

  it('maps a connection failure to a retryable FleetError', async () => {
    const closed = await answeringServer(() => ({ status: 200, body: '{}' }));
    await closed.close();
    const error = await new DaemonFleetProvider(closed.url).listAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toMatchObject({ status: 0, retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('maps no answer within the timeout to a retryable FleetError that says so', async () => {
    const server = await serve(() => 'silent');
    const error = await new DaemonFleetProvider(server.url, { timeoutMs: 200 }).listAccounts().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, retryable: true });
    expect((error as Error).message).toContain('no answer within 200 ms');
  });

  it('refuses an answer of the wrong shape without retrying', async () => {
    const server = await serve(() => ({ status: 200, body: JSON.stringify({ accounts: [{ accountId: 1 }] }) }));
    await expect(new DaemonFleetProvider(server.url).listAccounts()).rejects.toMatchObject({ retryable: false });
  });

  it('sends the provision request to the account and strips extra fields from answers', async () => {
    const instance = {
      instanceId: 'a_1_x',
      accountId: 'a',
      version: '1',
      state: 'starting',
      ready: false,
      inPool: false,
      inFlight: 0,
    };
    const server = await serve(() => ({
      status: 201,
      body: JSON.stringify({ instances: [{ ...instance, url: 'http://x', pid: 4 }] }),
    }));
    const instances = await new DaemonFleetProvider(`${server.url}/`).provision({
      accountId: 'a',
      version: '1',
      count: 1,
      requestId: 'r',
    });
    expect(instances).toEqual([instance]);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/accounts/a/instances' });
    expect(JSON.parse(server.seen[0].body)).toEqual({ version: '1', count: 1, requestId: 'r' });
  });

  it("sends the fleet's token as a bearer token when it has one, and none otherwise", async () => {
    const server = await serve(() => ({ status: 200, body: JSON.stringify({ accounts: [] }) }));
    await new DaemonFleetProvider(server.url, { token: 'fleet-token-0123456789' }).listAccounts();
    await new DaemonFleetProvider(server.url).listAccounts();
    expect(server.seen.map((request) => request.authorization)).toEqual(['Bearer fleet-token-0123456789', undefined]);
  });

  it('a 401 is not retryable and says to set FLEET_TOKEN', async () => {
    const server = await serve(() => ({ status: 401, body: JSON.stringify({ error: 'this fleet requires a token' }) }));
    const error = await new DaemonFleetProvider(server.url).listAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toMatch(/set FLEET_TOKEN to the fleet daemon's token/);
  });

  it('keeps one connection for calls in a row, and sends a call again once when the daemon dropped that kept connection', async () => {
    const server = await serve((_request, index) =>
      index === 1 ? 'reset' : { status: 200, body: JSON.stringify({ accounts: [] }) },
    );
    const provider = new DaemonFleetProvider(server.url);
    await provider.listAccounts();
    await expect(provider.listAccounts()).resolves.toEqual([]);
    await provider.listAccounts();
    const ports = server.seen.map((request) => request.clientPort);
    expect(ports).toHaveLength(4);
    expect(ports[1]).toBe(ports[0]);
    expect(ports[2]).not.toBe(ports[1]);
    expect(ports[3]).toBe(ports[2]);
  });
});
