import { startLocalTestFleet, TEST_VERSIONS, type LocalTestFleet } from '../../src/testing';
import { http as call, rawRequest } from '../helpers';
import {
  controlPlaneCases,
  engineAdminCases,
  expectUnharmed,
  featureServerCases,
  routerOnlyCases,
  snapshotFleet,
  type FleetSnapshot,
} from '../hostile';

const ACCOUNT = 'target';

/** Process mode: engines are processes, every account has a router listener of its own. */
describe('hostile requests to engines, routers and the control plane (process mode)', () => {
  let fleet: LocalTestFleet;
  let routerUrl: string;
  let engineUrl: string;
  let before: FleetSnapshot;

  beforeAll(async () => {
    fleet = await startLocalTestFleet({
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

  it('the issue: a truncated escape on the router answers 400, and both engines keep serving', async () => {
    const answer = await rawRequest(routerUrl, { target: '/features/%E0%A4%A?entity=x' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('percent-encoded');
    await expectUnharmed(fleet, before);
  });

  describe.each([
    ['router', () => routerUrl, () => [...featureServerCases(), ...routerOnlyCases()]],
    ['engine', () => engineUrl, () => [...featureServerCases(), ...engineAdminCases()]],
    ['control plane', () => fleet.url, () => controlPlaneCases(ACCOUNT)],
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
