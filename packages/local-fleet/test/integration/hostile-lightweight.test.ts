import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, rawRequest } from '../helpers';
import {
  engineAdminCases,
  expectUnharmed,
  featureServerCases,
  routerOnlyCases,
  snapshotFleet,
  type FleetSnapshot,
  type HostileCase,
} from '../hostile';

const ACCOUNT = 'target';

/**
 * Lightweight mode: every router on one shared listener and every instance on one shared engine
 * host, both inside the daemon (here: this test process), so one request that throws would take
 * the whole fleet down.
 */
describe('hostile requests in lightweight mode (shared router listener, in-process engines)', () => {
  let fleet: LocalTestFleet;
  let routerUrl: string;
  let engineUrl: string;
  let before: FleetSnapshot;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
      mode: 'lightweight',
      accounts: [
        { accountId: ACCOUNT, useCases: ['fraud-score'], instanceCount: 2, currentVersion: TEST_VERSIONS.current },
        { accountId: 'bystander', useCases: ['churn-risk'], instanceCount: 1, currentVersion: TEST_VERSIONS.current },
      ],
    });
    const state = await fleet.client.accountState(ACCOUNT);
    routerUrl = state.routerUrl;
    engineUrl = (await call('GET', `${fleet.url}/instances/${state.pool[0].instanceId}`)).body.url;
    before = await snapshotFleet(fleet);
  });
  afterAll(() => fleet?.stop({ expectNoStrays: true }));

  const listener = (url: string) => `${new URL(url).protocol}//${new URL(url).host}`;
  const pathOf = (url: string) => new URL(url).pathname;

  it('the issue on the shared listener: a truncated escape in the account id answers 400, and the fleet serves on', async () => {
    const answer = await rawRequest(listener(routerUrl), {
      target: '/accounts/%E0%A4%A/features/fraud-score?entity=x',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('percent-encoded');
    await expectUnharmed(fleet, before);
  });

  const listenerCases = (): HostileCase[] => [
    { name: 'an unknown account', request: { target: '/accounts/nobody/features/fraud-score?entity=x' }, status: 404 },
    { name: 'a path outside /accounts', request: { target: '/features/fraud-score?entity=x' }, status: 404 },
    { name: 'an instance id that is not UTF-8', request: { target: '/i/%E0%A4/healthz' }, status: 400 },
  ];

  describe.each([
    [
      'shared router listener',
      () => listener(routerUrl),
      () => [
        ...featureServerCases(pathOf(routerUrl)),
        ...routerOnlyCases(pathOf(routerUrl)),
        ...listenerCases().slice(0, 2),
      ],
    ],
    [
      'shared engine host',
      () => listener(engineUrl),
      () => [
        ...featureServerCases(pathOf(engineUrl)),
        ...engineAdminCases(pathOf(engineUrl)),
        ...listenerCases().slice(2),
      ],
    ],
  ])('%s', (_what, baseUrl, rows) => {
    it('answers every broken request with a 4xx and a JSON error, and nothing changes', async () => {
      const answers = [];
      for (const row of rows()) {
        const answer = await rawRequest(baseUrl(), row.request);
        answers.push({ name: row.name, status: answer.status, json: typeof answer.body?.error === 'string' });
      }
      expect(answers).toEqual(rows().map((row) => ({ name: row.name, status: row.status, json: true })));
      await expectUnharmed(fleet, before);
    });
  });
});
