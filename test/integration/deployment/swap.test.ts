/** blueGreenDeployment against the real dev server and the real fleet daemon: the happy paths and the preflight refusals. */
import { WorkflowFailedError } from '@temporalio/client';
import { account, FAST_STRATEGY, startDeploymentStack, TEST_VERSIONS, type DeploymentStack } from './support/stack';

describe('blueGreenDeployment swaps an account (dev server, real fleet)', () => {
  let stack: DeploymentStack;

  beforeAll(async () => {
    stack = await startDeploymentStack([
      account('swap-ok', TEST_VERSIONS.current, { instanceCount: 2 }),
      account('swap-again'),
      account('swap-missing-version'),
      account('swap-major', TEST_VERSIONS.next, { maintenanceWindow: { start: '-1m', end: '+1h' } }),
      account('swap-major-no-window', TEST_VERSIONS.next),
    ]);
  });
  afterAll(() => stack?.stop());

  it('promotes green after every check passes, drains blue, and keeps the same instance count', async () => {
    const blue = (await stack.fleet.provider.accountState('swap-ok')).pool.map((i) => i.instanceId);
    const handle = await stack.start({
      accountId: 'swap-ok',
      version: TEST_VERSIONS.next,
      releaseId: 'r-1',
      strategy: FAST_STRATEGY,
    });
    const result = await handle.result();

    expect(result).toMatchObject({
      accountId: 'swap-ok',
      fromVersion: TEST_VERSIONS.current,
      toVersion: TEST_VERSIONS.next,
      outcome: 'promoted',
      leftBehind: [],
    });
    expect(result.checks.map((c) => [c.check, c.verdict])).toEqual([
      ['initialization', 'passed'],
      ['core-functionality', 'passed'],
      ['use-case-readiness', 'passed'],
      ['canary', 'passed'],
      ['watch', 'passed'],
    ]);
    expect(result.checks.find((c) => c.check === 'canary')?.evidence).toMatchObject({
      samples: 40,
      compared: 40,
      mismatched: 0,
    });
    expect(result.steps.map((s) => s.step)).toEqual([
      'preflight',
      'provision',
      'initialization',
      'core-functionality',
      'use-case-readiness',
      'canary',
      'promote',
      'watch',
      'keep-warm',
      'drain',
    ]);
    expect(result.instances?.green).toHaveLength(2);
    expect(result.instances?.blue).toEqual(blue);

    await stack.expectCleanOn('swap-ok', TEST_VERSIONS.next);
    const pool = (await stack.fleet.provider.accountState('swap-ok')).pool.map((i) => i.instanceId);
    expect(pool.sort()).toEqual([...result.instances!.green].sort());

    const description = await handle.describe();
    expect(
      description.typedSearchAttributes
        .getAll()
        .map((p) => [p.key.name, p.value])
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        ['AccountId', 'swap-ok'],
        ['DeploymentOutcome', 'promoted'],
        ['ReleaseVersion', TEST_VERSIONS.next],
      ]),
    );
    expect(description.raw.workflowExtendedInfo).toBeDefined();
  });

  it('answers promoted at once when the account already runs the version (idempotent re-run)', async () => {
    const first = await stack.run({ accountId: 'swap-again', version: TEST_VERSIONS.next, strategy: FAST_STRATEGY });
    expect(first.outcome).toBe('promoted');
    const again = await (
      await stack.start(
        { accountId: 'swap-again', version: TEST_VERSIONS.next, strategy: FAST_STRATEGY },
        'swap-again-rerun',
      )
    ).result();
    expect(again).toMatchObject({
      outcome: 'promoted',
      fromVersion: TEST_VERSIONS.next,
      reason: expect.stringMatching(/already at version/),
    });
    expect(again.steps.map((s) => s.step)).toEqual(['preflight']);
    await stack.expectCleanOn('swap-again', TEST_VERSIONS.next);
  });

  it('fails at preflight when the platform does not know the version, before touching anything', async () => {
    const result = await stack.run({ accountId: 'swap-missing-version', version: '1999.1.0', strategy: FAST_STRATEGY });
    expect(result).toMatchObject({ outcome: 'failed', failedStep: 'preflight' });
    expect(result.reason).toMatch(/1999\.1\.0 is not in the platform's version catalogue/);
    expect(result.steps.map((s) => s.step)).toEqual(['preflight']);
    expect(result.instances?.green).toEqual([]);
    await stack.expectCleanOn('swap-missing-version', TEST_VERSIONS.current);
  });

  it('fails when the account does not exist', async () => {
    const result = await stack.run({ accountId: 'nobody', version: TEST_VERSIONS.next, strategy: FAST_STRATEGY });
    expect(result).toMatchObject({ outcome: 'failed', failedStep: 'preflight', fromVersion: null });
    expect(result.reason).toMatch(/nobody/);
  });

  it('runs a major upgrade inside its open maintenance window: maintenance on, migration, promote, maintenance off', async () => {
    const result = await stack.run({
      accountId: 'swap-major',
      version: TEST_VERSIONS.major,
      kind: 'major',
      strategy: FAST_STRATEGY,
    });
    expect(result).toMatchObject({
      outcome: 'promoted',
      fromVersion: TEST_VERSIONS.next,
      toVersion: TEST_VERSIONS.major,
    });
    expect(result.steps.map((s) => s.step)).toEqual([
      'preflight',
      'provision',
      'initialization',
      'core-functionality',
      'use-case-readiness',
      'canary',
      'maintenance',
      'migration',
      'promote',
      'maintenance',
      'watch',
      'keep-warm',
      'drain',
    ]);
    await stack.expectCleanOn('swap-major', TEST_VERSIONS.major);
  });

  it('refuses a major upgrade of an account without an announced maintenance window, before touching anything', async () => {
    const result = await stack.run({
      accountId: 'swap-major-no-window',
      version: TEST_VERSIONS.major,
      kind: 'major',
      strategy: FAST_STRATEGY,
    });
    expect(result).toMatchObject({
      outcome: 'failed',
      failedStep: 'preflight',
      reason: expect.stringMatching(/maintenance window/),
    });
    expect(result.steps.map((s) => s.step)).toEqual(['preflight']);
    await stack.expectCleanOn('swap-major-no-window', TEST_VERSIONS.next);
  });

  it('rejects bad input at the very start with an InvalidInput failure', async () => {
    const handle = await stack.start({ accountId: 'swap-ok', version: 'not a version!' }, 'swap-bad-input');
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({
      type: 'InvalidInput',
      message: expect.stringMatching(/version: a version is/),
    });
  });
});
