/**
 * The README's Temporal CLI runbook for a single account's swap, run verbatim against the dev
 * server through `npx temporal` (the package's bin, as the README writes it): start, query status,
 * approve (update) an inconclusive validation, read the result; and reject (signal).
 */
import { runTemporalCli, type CliResult } from '../../harness/temporal';
import { account, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

// The commands exactly as the README's blue-green section shows them (without the connection flags).
const START_ACME = [
  'workflow',
  'start',
  '--type',
  'blueGreenDeployment',
  '--task-queue',
  'staged-release',
  '--workflow-id',
  'deploy-acme/2026.47.0',
  '--input',
  '{"accountId":"acme","version":"2026.47.0","strategy":{"watch":{"duration":"3 seconds","maxP99Ms":1000},"keepBlueWarm":"2 seconds"}}',
];
const QUERY_ACME = ['workflow', 'query', '--workflow-id', 'deploy-acme/2026.47.0', '--name', 'status', '-o', 'json'];
const APPROVE_ACME = [
  'workflow',
  'update',
  'execute',
  '--workflow-id',
  'deploy-acme/2026.47.0',
  '--name',
  'approve',
  '--input',
  '{"by":"alice","reason":"blue is known flaky; the answered samples match"}',
  '-o',
  'json',
];
const RESULT_ACME = ['workflow', 'result', '--workflow-id', 'deploy-acme/2026.47.0', '-o', 'json'];
const START_GLOBEX = [
  'workflow',
  'start',
  '--type',
  'blueGreenDeployment',
  '--task-queue',
  'staged-release',
  '--workflow-id',
  'deploy-globex/2026.47.0',
  '--input',
  '{"accountId":"globex","version":"2026.47.0"}',
];
const REJECT_GLOBEX = [
  'workflow',
  'signal',
  '--workflow-id',
  'deploy-globex/2026.47.0',
  '--name',
  'reject',
  '--input',
  '{"by":"bob","reason":"customer asked to wait"}',
];

function ok(result: CliResult): string {
  if (result.code !== 0) throw new Error(`temporal CLI failed (${result.code}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

describe('README runbook: one account swap from the Temporal CLI', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    // Both accounts' blue answers errors once pooled, so their canary is inconclusive and waits for on-call.
    stack = await startDeploymentStack(
      [account('acme', TEST_VERSIONS.errorsAfterPromotion), account('globex', TEST_VERSIONS.errorsAfterPromotion)],
      { taskQueue: 'staged-release' },
    );
  });
  afterAll(() => stack?.stop());

  async function waitUntilAwaitingApproval(queryArgs: string[]): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const args = queryArgs.includes('-o') ? queryArgs : [...queryArgs, '-o', 'json'];
      // Polling through bin/temporal (the same entry point as npx, without its start-up cost).
      const out = await runTemporalCli(stack.env, args, 'bin');
      if (out.code === 0 && /"awaitingApproval":\s*true/.test(out.stdout)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the swap never waited for approval');
  }

  it('start, status, approve (update), result', async () => {
    ok(await runTemporalCli(stack.env, START_ACME, 'npx'));
    await waitUntilAwaitingApproval(QUERY_ACME);
    expect(ok(await runTemporalCli(stack.env, QUERY_ACME, 'npx'))).toMatch(/"awaitingApproval":\s*true/);
    const approved = ok(await runTemporalCli(stack.env, APPROVE_ACME, 'npx'));
    expect(approved).toMatch(/alice/);
    expect(() => JSON.parse(approved) as unknown).not.toThrow();
    const result = ok(await runTemporalCli(stack.env, RESULT_ACME, 'npx'));
    expect(result).toMatch(/"outcome":\s*"promoted"/);
    await stack.expectCleanOn('acme', TEST_VERSIONS.next);
  });

  it('reject (signal) rolls back', async () => {
    ok(await runTemporalCli(stack.env, START_GLOBEX, 'npx'));
    await waitUntilAwaitingApproval([
      'workflow',
      'query',
      '--workflow-id',
      'deploy-globex/2026.47.0',
      '--name',
      'status',
    ]);
    ok(await runTemporalCli(stack.env, REJECT_GLOBEX, 'npx'));
    const result = ok(
      await runTemporalCli(stack.env, ['workflow', 'result', '--workflow-id', 'deploy-globex/2026.47.0', '-o', 'json']),
    );
    expect(result).toMatch(/"outcome":\s*"rolled-back"/);
    expect(result).toMatch(/rejected by bob: customer asked to wait/);
    await stack.expectCleanOn('globex', TEST_VERSIONS.errorsAfterPromotion);
  });
});
