/**
 * A revert is a swap of its own kind (`mode: "revert"`): it returns an account from a bad version
 * to its previous one with initialization, smoke and use-case readiness checks, and never judges
 * the previous version against the bad one (no canary, so no approval wait), nor needs a window,
 * maintenance mode or a migration, also in a major release. Real dev server, real fleet.
 */
import type { DeploymentResult } from '../../../src/domain/deployment/swap';
import { waitFor } from '../../harness/wait';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

const REVERT_STEPS = [
  'preflight',
  'provision',
  'initialization',
  'core-functionality',
  'use-case-readiness',
  'promote',
  'watch',
  'drain',
];

describe('blueGreenDeployment in revert mode (dev server, real fleet)', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    stack = await startDeploymentStack([
      account('revert-wrong-values', TEST_VERSIONS.wrongValues),
      account('revert-errors', TEST_VERSIONS.errorsAfterPromotion),
      account('revert-major', TEST_VERSIONS.major),
    ]);
  });
  afterAll(() => stack?.stop());

  function expectRevertedLike(result: DeploymentResult, from: string, to: string): void {
    expect(result).toMatchObject({ mode: 'revert', outcome: 'promoted', fromVersion: from, toVersion: to });
    expect(result.checks.map((c) => [c.check, c.verdict])).toEqual([
      ['initialization', 'passed'],
      ['core-functionality', 'passed'],
      ['use-case-readiness', 'passed'],
      ['watch', 'passed'],
    ]);
    expect(result.steps.map((s) => s.step)).toEqual(REVERT_STEPS);
  }

  it('puts an account on a wrong-values version back without a canary against it, and says it was a revert', async () => {
    const handle = await stack.start({
      accountId: 'revert-wrong-values',
      version: TEST_VERSIONS.current,
      mode: 'revert',
      releaseId: 'r-aborted',
      strategy: FAST_STRATEGY,
    });
    const result = await handle.result();
    expectRevertedLike(result, TEST_VERSIONS.wrongValues, TEST_VERSIONS.current);
    await stack.expectCleanOn('revert-wrong-values', TEST_VERSIONS.current);

    const description = await handle.describe();
    const outcome = description.typedSearchAttributes.getAll().find((p) => p.key.name === 'DeploymentOutcome');
    expect(outcome?.value).toBe('revert-promoted');
    // The README's query for every revert of a release.
    const query =
      'ReleaseId="r-aborted" AND DeploymentOutcome IN ("revert-in-progress","revert-promoted","revert-rolled-back","revert-failed","revert-cancelled")';
    const listed = await waitFor('the revert to be listed', async () => {
      const ids: string[] = [];
      for await (const workflow of stack.env.client.workflow.list({ query })) ids.push(workflow.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    expect(listed).toEqual([handle.workflowId]);
  });

  it('puts an account on an erroring version back at once: no inconclusive canary, no approval wait', async () => {
    const handle = await stack.start({
      accountId: 'revert-errors',
      version: TEST_VERSIONS.current,
      mode: 'revert',
      strategy: { ...FAST_STRATEGY, approvalTimeout: '10 minutes' },
    });
    const status = await stack.waitForStatus(handle, (s) => s.mode === 'revert');
    expect(status.awaitingApproval).toBe(false);
    const result = await handle.result();
    expectRevertedLike(result, TEST_VERSIONS.errorsAfterPromotion, TEST_VERSIONS.current);
    await stack.expectCleanOn('revert-errors', TEST_VERSIONS.current);
  });

  it('reverts a major release with no maintenance window, no maintenance mode and no migration', async () => {
    const result = await stack.run({
      accountId: 'revert-major',
      version: TEST_VERSIONS.next,
      kind: 'major',
      mode: 'revert',
      strategy: FAST_STRATEGY,
    });
    expectRevertedLike(result, TEST_VERSIONS.major, TEST_VERSIONS.next);
    await stack.expectCleanOn('revert-major', TEST_VERSIONS.next);
  });
});
