import { checkForwardTarget, type AddressLookup } from '../../src/forward-target';

const FLEET_PORTS = new Set([7380, 41000]);

/** A resolver with fixed answers, so names can be tested without DNS. */
const lookup: AddressLookup = async (hostname) => {
  const answers: Record<string, string[]> = {
    'sneaky.example': ['10.9.8.7', '127.0.0.1'],
    'maintenance.example': ['10.9.8.7'],
    'v6.example': ['::1'],
  };
  if (answers[hostname]) return answers[hostname];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

const check = (url: string) => checkForwardTarget(url, FLEET_PORTS, lookup);

describe('a maintenance forwardTo must not lead back into the fleet', () => {
  it.each(['http://sneaky.example:7380/', 'http://v6.example:41000/x', 'http://localhost:7380', 'http://[::1]:41000'])(
    'refuses %s: its host is this machine and its port one of the fleet',
    async (url) => {
      await expect(check(url)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('loop') });
    },
  );

  it('refuses a name that does not resolve, on a port of the fleet', async () => {
    await expect(check('http://nowhere.example:7380/')).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('could not be resolved (ENOTFOUND)'),
    });
  });

  it.each(['http://maintenance.example:7380/', 'http://127.0.0.1:8081/legacy', 'http://nowhere.example:8081/'])(
    'accepts %s: elsewhere, or another port',
    async (url) => {
      await expect(check(url)).resolves.toBeUndefined();
    },
  );

  it('refuses credentials, a query or a fragment in the URL', async () => {
    for (const url of [
      'http://u:p@maintenance.example/',
      'http://maintenance.example/?a=1',
      'http://maintenance.example/#x',
    ]) {
      await expect(check(url)).rejects.toMatchObject({ status: 400 });
    }
  });
});
