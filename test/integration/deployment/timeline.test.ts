/**
 * The swap's timeline on the time-skipping server: a maintenance window hours away, an
 * hour-long approval deadline, a hold that lasts until released. The fleet is a small in-memory
 * fake here (the real daemon is exercised by the other deployment tests).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { createActivities } from '../../../src/activities';
import type { BlueGreenInput, DeploymentResult } from '../../../src/domain/deployment/swap';
import { createLogger } from '../../../src/logging/logger';
import { swaps } from '../../../src/client';
import { startTestWorker, startTimeSkipping, type TestWorker } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { FakeFleet } from '../../support/fake-fleet';
import { scheduledActivities, waitForDecisionOnActivity } from '../../support/history';

const fast = {
  readinessTimeout: '5 seconds',
  watch: { duration: '1 second', probesPerSecond: 10, maxP99Ms: 1000 },
  keepBlueWarm: '1 minute',
};

describe('blueGreenDeployment timeline (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: TestWorker;
  const fleet = new FakeFleet().addVersion('1.0').addVersion('2.0').addVersion('1.0-flaky', { errorsInPool: true });

  beforeAll(async () => {
    env = await startTimeSkipping();
    worker = await startTestWorker(env, { activities: createActivities({ fleet, logger: createLogger('silent') }) });
  });
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  });

  const start = (input: BlueGreenInput, id: string) =>
    swaps.start(env.client, input, { taskQueue: worker.taskQueue, workflowId: id });

  it('a major upgrade waits for the maintenance window, migrates in maintenance mode and promotes', async () => {
    const windowStart = new Date((await env.currentTimeMs()) + 6 * 3_600_000);
    fleet.addAccount(
      {
        accountId: 'major-co',
        useCases: ['fraud-score'],
        instanceCount: 2,
        maintenanceWindow: {
          start: windowStart.toISOString(),
          end: new Date(windowStart.getTime() + 3_600_000).toISOString(),
        },
      },
      '1.0',
    );
    const result = await (
      await start({ accountId: 'major-co', version: '2.0', kind: 'major', strategy: fast }, 'tl-major')
    ).result();
    expect(result).toMatchObject({ outcome: 'promoted', fromVersion: '1.0', toVersion: '2.0' });
    const mine = fleet.calls.filter((c) => c.includes('major-co'));
    expect(mine.map((c) => c.split(' ')[0])).toEqual([
      'provision',
      'maintenance',
      'setPool',
      'maintenance',
      'drain',
      'decommission',
    ]);
    expect(mine[1]).toBe('maintenance major-co on');
    const maintenance = result.steps.find((s) => s.step === 'maintenance')!;
    expect(maintenance.durationMs).toBeGreaterThanOrEqual(6 * 3_600_000 - 60_000);
    expect((await fleet.accountState('major-co')).version).toBe('2.0');
    expect(await fleet.instances('major-co')).toHaveLength(2);
  });

  it('a major upgrade without an announced window fails before touching anything', async () => {
    fleet.addAccount({ accountId: 'no-window', useCases: ['fraud-score'], instanceCount: 1 }, '1.0');
    const result = await (
      await start({ accountId: 'no-window', version: '2.0', kind: 'major', strategy: fast }, 'tl-no-window')
    ).result();
    expect(result).toMatchObject({ outcome: 'failed', failedStep: 'preflight' });
    expect(result.reason).toMatch(/maintenance window/);
    expect(fleet.calls.filter((c) => c.includes('no-window'))).toEqual([]);
  });

  it('an inconclusive canary with no decision rolls back when the approval deadline passes', async () => {
    fleet.addAccount({ accountId: 'silent', useCases: ['fraud-score', 'churn-risk'], instanceCount: 2 }, '1.0-flaky');
    const result: DeploymentResult = await (
      await start({ accountId: 'silent', version: '2.0', strategy: fast }, 'tl-silent')
    ).result();
    expect(result).toMatchObject({ outcome: 'rolled-back', failedStep: 'approval' });
    expect(result.reason).toMatch(/no approve or reject within 1h/);
    expect(result.checks.find((c) => c.check === 'canary')?.verdict).toBe('inconclusive');
    const state = await fleet.accountState('silent');
    expect(state.version).toBe('1.0-flaky');
    expect((await fleet.instances('silent')).map((i) => i.version)).toEqual(['1.0-flaky', '1.0-flaky']);
  });

  it('while held by the release the swap does not promote; after release it does', async () => {
    fleet.addAccount({ accountId: 'held', useCases: ['fraud-score'], instanceCount: 1 }, '1.0');
    const handle = await start({ accountId: 'held', version: '2.0', strategy: fast }, 'tl-held');
    await swaps.signal.hold(handle, { reason: 'release paused' });
    const status = await waitFor('validation to finish while held', async () => {
      const current = await swaps.status(handle);
      return current.held && current.checks.length === 4 ? current : undefined;
    });
    expect(status).toMatchObject({ held: true, step: 'canary' });
    // The workflow has acted on the canary's result, and promoting was not part of it.
    const history = await waitForDecisionOnActivity(handle, 'runCanary');
    expect(scheduledActivities(history)).not.toContain('promoteGreen');
    expect((await fleet.accountState('held')).version).toBe('1.0');
    await swaps.signal.release(handle);
    expect(await handle.result()).toMatchObject({ outcome: 'promoted' });
  });

  it('rejects invalid input with a message that says what to fix', async () => {
    const handle = await start(
      { accountId: 'bad id!', version: '2.0', strategy: { watch: { duration: 'soon' } } } as BlueGreenInput,
      'tl-invalid',
    );
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe('InvalidInput');
    expect(cause.message).toMatch(/accountId/);
    expect(cause.message).toMatch(/"soon" is not a duration/);
  });
});
