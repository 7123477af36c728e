import { networkInterfaces } from 'node:os';
import { FleetApiError, LocalFleetClient, startFleetDaemon } from '../../src';
import { startLocalTestFleet, type LocalTestFleet } from '../../src/testing';
import { http as call } from '../helpers';

const TOKEN = 'test-token-0123456789abcdef';

async function get(url: string, authorization?: string) {
  const response = await fetch(url, { headers: authorization ? { authorization } : {} });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: string } };
}

describe('control-plane bearer token', () => {
  it('refuses to start beyond loopback without a token, or with a weak one', async () => {
    await expect(startFleetDaemon({ host: '0.0.0.0', logLevel: 'silent' })).rejects.toThrow(
      /beyond loopback, without a token: set FLEET_TOKEN/,
    );
    await expect(startFleetDaemon({ host: '0.0.0.0', token: 'short', logLevel: 'silent' })).rejects.toThrow(
      /FLEET_TOKEN must be at least 16 characters/,
    );
  });

  describe('listening on every interface (0.0.0.0) with a token', () => {
    let fleet: LocalTestFleet;

    beforeAll(async () => {
      fleet = await startLocalTestFleet({ host: '0.0.0.0', token: TOKEN });
    });
    afterAll(() => fleet?.stop({ expectNoStrays: true }));

    it('answers 401 to every call without the token, also on a non-loopback address, and changes nothing', async () => {
      const external = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
      const urls = [fleet.url, ...(external ? [fleet.url.replace('127.0.0.1', external)] : [])];
      for (const base of urls) {
        for (const authorization of [
          undefined,
          'Bearer wrong-token-0123456789',
          `Basic ${TOKEN}`,
          `Bearer ${TOKEN}x`,
        ]) {
          const answer = await get(`${base}/accounts`, authorization);
          expect({ base, authorization, status: answer.status }).toEqual({ base, authorization, status: 401 });
          expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="fleet"');
          expect(answer.body.error).toMatch(/FLEET_TOKEN/);
        }
      }
      const put = await call('PUT', `${fleet.url}/versions/9.9.9`, { initMs: 1 });
      expect(put.status).toBe(401);
      const versions = await get(`${fleet.url}/versions`, `Bearer ${TOKEN}`);
      expect(JSON.stringify(versions.body)).not.toContain('9.9.9');
    });

    it('serves every call that carries the token, and leaves liveness open', async () => {
      expect((await get(`${fleet.url}/accounts`, `Bearer ${TOKEN}`)).status).toBe(200);
      expect((await get(`${fleet.url}/accounts`, `bearer ${TOKEN}`)).status).toBe(200);
      expect((await get(`${fleet.url}/healthz`)).status).toBe(200);
      expect(await fleet.client.listAccounts()).toHaveLength(2);
    });

    it('a client without the token gets a 401 it can explain', async () => {
      const error = await new LocalFleetClient(fleet.url).listAccounts().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FleetApiError);
      expect(error).toMatchObject({ status: 401 });
    });
  });

  it('on loopback a token is optional, but once set it is required', async () => {
    const fleet = await startLocalTestFleet({ token: TOKEN, accounts: [] });
    try {
      expect((await get(`${fleet.url}/accounts`)).status).toBe(401);
      expect((await get(`${fleet.url}/accounts`, `Bearer ${TOKEN}`)).status).toBe(200);
    } finally {
      await fleet.stop();
    }
  });
});
