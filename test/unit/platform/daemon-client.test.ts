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

describe('DaemonFleetProvider', () => {
  afterEach(() => jest.restoreAllMocks());

  it('maps a connection failure to a retryable FleetError', async () => {
    jest
      .spyOn(global, 'fetch')
      .mockRejectedValue(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    const error = await new DaemonFleetProvider('http://127.0.0.1:9').listAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toMatchObject({ status: 0, retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('refuses an answer of the wrong shape without retrying', async () => {
    jest
      .spyOn(global, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify({ accounts: [{ accountId: 1 }] }), { status: 200 }));
    await expect(new DaemonFleetProvider('http://127.0.0.1:9').listAccounts()).rejects.toMatchObject({
      retryable: false,
    });
  });

  it('sends the provision request to the account and strips extra fields from answers', async () => {
    const fetchMock = jest.spyOn(global, 'fetch').mockResolvedValue(
      new Response(
        JSON.stringify({
          instances: [
            {
              instanceId: 'a_1_x',
              accountId: 'a',
              version: '1',
              state: 'starting',
              ready: false,
              inPool: false,
              inFlight: 0,
              url: 'http://x',
              pid: 4,
            },
          ],
        }),
        { status: 201 },
      ),
    );
    const instances = await new DaemonFleetProvider('http://127.0.0.1:9/').provision({
      accountId: 'a',
      version: '1',
      count: 1,
      requestId: 'r',
    });
    expect(instances).toEqual([
      {
        instanceId: 'a_1_x',
        accountId: 'a',
        version: '1',
        state: 'starting',
        ready: false,
        inPool: false,
        inFlight: 0,
      },
    ]);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://127.0.0.1:9/accounts/a/instances');
    expect(JSON.parse(String(init?.body))).toEqual({ version: '1', count: 1, requestId: 'r' });
  });

  it("sends the fleet's token as a bearer token when it has one, and none otherwise", async () => {
    const fetchMock = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async () => new Response(JSON.stringify({ accounts: [] }), { status: 200 }));
    await new DaemonFleetProvider('http://127.0.0.1:9', { token: 'fleet-token-0123456789' }).listAccounts();
    await new DaemonFleetProvider('http://127.0.0.1:9').listAccounts();
    const headers = fetchMock.mock.calls.map(([, init]) => new Headers(init?.headers).get('authorization'));
    expect(headers).toEqual(['Bearer fleet-token-0123456789', null]);
  });

  it('a 401 is not retryable and says to set FLEET_TOKEN', async () => {
    jest
      .spyOn(global, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify({ error: 'this fleet requires a token' }), { status: 401 }));
    const error = await new DaemonFleetProvider('http://127.0.0.1:9').listAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toMatch(/set FLEET_TOKEN to the fleet daemon's token/);
  });
});
