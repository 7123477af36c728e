/**
 * blueGreenDeployment: one account from its running version (blue) to a new one (green), with
 * zero downtime. The runbook:
 *
 *   preflight  claim the account (one swap at a time: wait while another swap holds it), read
 *              it; already at the version → done; major without window → failed
 *   provision  green beside blue                                   undo: decommission green
 *   validate   initialization, core functionality, use-case readiness, canary (green vs blue);
 *              inconclusive → wait for on-call approve/reject (deadline: approvalTimeout)
 *   (hold)     while the parent release is paused, wait here
 *   major      wait for the maintenance window, maintenance on      undo: maintenance off
 *              data migration
 *   promote    green becomes the request pool in one switch         undo: route back to blue
 *   watch      error rate and p99 through the router; a breach rolls back at once
 *   keep-warm  blue stays running outside the pool, so going back is instant
 *   drain      blue leaves, finishes its in-flight requests, stops
 *
 * A revert (`mode: "revert"`) runs no canary, approval, window, maintenance, migration or keep-warm
 * and watches briefly (src/domain/deployment/plan.ts). Any failure, a reject or a cancellation runs
 * the undo list in reverse (non-cancellable), so traffic is on blue and no green instance remains;
 * the claim is released last. Business outcomes are results; a cancelled
 * swap cleans up and then ends cancelled. The status changes only through the domain's
 * transitions (src/domain/deployment/transitions.ts), applied by the SwapRecord.
 */
import { ApplicationFailure, CancellationScope, condition, sleep, workflowInfo } from '@temporalio/workflow';
import type { AccountSnapshot, SwapContext } from '../../domain/deployment/activities';
import { provisionRequestId } from '../../domain/deployment/ownership';
import { planSwap, type SwapPlan } from '../../domain/deployment/plan';
import { judgePreflight } from '../../domain/deployment/preflight';
import { blueGreenInputBeforeRanges } from '../../domain/inputs-before-ranges';
import { decideRollback, rollbackCause } from '../../domain/deployment/rollback';
import { resultOf, type StepName } from '../../domain/deployment/status';
import {
  BlueGreenInputSchema,
  DEPLOYMENT_FAILURES,
  type BlueGreenInput,
  type BlueGreenParams,
  type CheckReport,
  type DeploymentResult,
  type DeploymentStep,
} from '../../domain/deployment/swap';
import {
  accountRead,
  approvalClosed,
  approvalRequested,
  blueDrained,
  checkReported,
  describeDecider,
  drainFailed,
  finished,
  greenProvisioned,
  promotedReason,
  startSwap,
  stopped,
  waitStarted,
  type Ending,
} from '../../domain/deployment/transitions';
import { describeIssues, formatDuration } from '../../domain/primitives';
import { parseWithRanges } from '../input-rules';
import { call, check, mutate, RETRY, SLACK_MS, step } from './activity-calls';
import { Compensations } from './compensations';
import { classifyFailure, describeFailure, SwapStop } from './failures';
import { installHandlers } from './handlers';
import { AccountLease } from './lease';
import { SwapRecord } from './record';
import { decommissionGreen, maintenanceOff, routeBackToBlue } from './undo';

export async function blueGreenDeployment(input: BlueGreenInput): Promise<DeploymentResult> {
  const params = parseInput(input);
  const record = new SwapRecord(startSwap(params, Date.now()));
  installHandlers(record);
  return new BlueGreenSwap(params, record).run();
}

function parseInput(input: unknown): BlueGreenParams {
  const parsed = parseWithRanges(input ?? {}, BlueGreenInputSchema, blueGreenInputBeforeRanges);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw ApplicationFailure.nonRetryable(
    `invalid blueGreenDeployment input: ${problems}`,
    DEPLOYMENT_FAILURES.invalidInput,
  );
}

class BlueGreenSwap {
  private readonly ctx: SwapContext;
  private readonly undo = new Compensations();
  private readonly plan: SwapPlan;
  private readonly lease: AccountLease;

  constructor(
    private readonly params: BlueGreenParams,
    private readonly record: SwapRecord,
  ) {
    const { accountId, version, releaseId } = params;
    this.ctx = releaseId ? { accountId, version, releaseId } : { accountId, version };
    this.plan = planSwap(params);
    this.lease = new AccountLease(record, this.ctx);
  }

  async run(): Promise<DeploymentResult> {
    try {
      return await this.swap();
    } catch (error) {
      return await this.rollBack(error);
    } finally {
      await this.lease.release();
    }
  }

  // ---------------------------------------------------------------- the runbook

  private async swap(): Promise<DeploymentResult> {
    const { accountId, version, strategy } = this.params;

    const account = await this.step('preflight', async () => {
      await this.lease.claim();
      return call('describeAccount', `read account ${accountId}`, {}, this.ctx);
    });
    this.record.apply(accountRead, { fromVersion: account.version, blue: account.pool });
    const preflight = judgePreflight(account, this.params, Date.now());
    if (preflight.verdict === 'done') return this.finish({ outcome: 'promoted', reason: preflight.reason });
    if (preflight.verdict === 'refused') throw new SwapStop('failed', 'preflight', preflight.reason);

    const green = await this.step('provision', () => {
      const { workflowId, firstExecutionRunId } = workflowInfo();
      const requestId = provisionRequestId(workflowId, firstExecutionRunId);
      this.undo.add('decommission green', decommissionGreen(this.record, this.ctx, requestId));
      const count = strategy.instances ?? account.instanceCount;
      const summary = `provision ${count} green instance(s) of ${version}`;
      return mutate(() => call('provisionGreen', summary, {}, { ...this.ctx, count, requestId }));
    });
    this.record.apply(greenProvisioned, { green });

    await this.validate(account, green);

    // A held swap waits before it changes traffic; a major upgrade waits before maintenance goes on,
    // never while the account is in maintenance.
    if (this.plan.maintenance) await this.enterMaintenance(account);
    else await this.waitWhileHeld('promote');
    await this.step('promote', () => {
      this.undo.add('route traffic back to blue', routeBackToBlue(this.record, this.ctx));
      const summary = `switch the request pool of ${accountId} to green (${version})`;
      return mutate(() => call('promoteGreen', summary, {}, { ...this.ctx, instanceIds: green }));
    });
    if (this.plan.maintenance) {
      await this.step('maintenance', () =>
        mutate(() => call('setMaintenanceMode', 'maintenance mode off', {}, { ...this.ctx, enabled: false })),
      );
      this.undo.remove('maintenance mode off');
    }

    await this.step('watch', async () => {
      const watch = { ...strategy.watch, duration: this.plan.watchMs };
      const outcome = await call(
        'watchGreen',
        `watch green through the router for ${formatDuration(watch.duration)} (errors ≤ ${watch.maxErrorRate * 100}%, p99 ≤ ${watch.maxP99Ms}ms)`,
        { startToCloseTimeout: watch.duration + SLACK_MS, retry: { ...RETRY, maximumAttempts: 3 } },
        {
          ...this.ctx,
          useCases: account.useCases,
          durationMs: watch.duration,
          probesPerSecond: watch.probesPerSecond,
          maxErrorRate: watch.maxErrorRate,
          maxP99Ms: watch.maxP99Ms,
          seed: `${workflowInfo().workflowId}/watch`,
        },
      );
      this.record.apply(checkReported, { report: outcome.report });
    });

    if (this.plan.keepBlueWarm)
      await this.step('keep-warm', () =>
        sleep(strategy.keepBlueWarm, { summary: `keep blue warm for ${formatDuration(strategy.keepBlueWarm)}` }),
      );

    // Point of no return: blue leaves for good. Nothing is undone after this.
    this.undo.clear();
    await this.step('drain', () => CancellationScope.nonCancellable(() => this.drainBlue()));
    return this.finish({ outcome: 'promoted', reason: promotedReason(this.record.status) });
  }

  /** Initialization, core functionality, use-case readiness, canary (not for a revert); an inconclusive check waits for on-call. */
  private async validate(account: AccountSnapshot, green: string[]): Promise<void> {
    const { strategy } = this.params;
    const validation = { ...this.ctx, instanceIds: green, useCases: account.useCases };
    await this.check('initialization', () =>
      call(
        'awaitGreenReady',
        `wait up to ${formatDuration(strategy.readinessTimeout)} for ${green.length} green instance(s) to be ready`,
        { startToCloseTimeout: strategy.readinessTimeout + SLACK_MS },
        { ...this.ctx, instanceIds: green, timeoutMs: strategy.readinessTimeout },
      ),
    );
    await this.check('core-functionality', () =>
      call(
        'runSmokeChecks',
        `${strategy.smokeRequests} smoke request(s) per use case on green`,
        {},
        { ...validation, requestsPerUseCase: strategy.smokeRequests },
      ),
    );
    await this.check('use-case-readiness', () =>
      call(
        'checkUseCaseReadiness',
        `readiness of ${account.useCases.length} use case(s) on every green instance`,
        {},
        validation,
      ),
    );
    if (this.plan.canary)
      await this.check('canary', () =>
        call(
          'runCanary',
          `canary: ${strategy.canary.sampleSize} sample requests to green and blue, mismatch ≤ ${strategy.canary.mismatchThreshold * 100}%`,
          { startToCloseTimeout: '5 minutes' }, // up to 10,000 samples per side
          {
            ...this.ctx,
            greenIds: green,
            blueIds: account.pool,
            useCases: account.useCases,
            ...strategy.canary,
            seed: `${workflowInfo().workflowId}/canary`,
          },
        ),
      );
    const inconclusive = this.record.status.checks.filter((c) => c.verdict === 'inconclusive');
    if (inconclusive.length > 0) await this.awaitApproval(inconclusive);
  }

  /** An inconclusive validation never promotes silently: on-call approves or rejects before the deadline, or it rolls back. */
  private async awaitApproval(inconclusive: readonly CheckReport[]): Promise<void> {
    const timeout = this.params.strategy.approvalTimeout;
    const why = inconclusive.map((c) => `${c.check}: ${c.summary}`).join('; ');
    await this.step('approval', async () => {
      this.record.apply(approvalRequested, { why, timeoutMs: timeout });
      const decided =
        timeout > 0 &&
        (await condition(() => this.record.status.decision !== undefined, timeout, {
          summary: `wait ${formatDuration(timeout)} for on-call approve/reject`,
        }));
      const decision = this.record.apply(approvalClosed, { decided }).decision;
      if (!decided || !decision)
        throw new SwapStop(
          'rolled-back',
          'approval',
          `validation inconclusive (${why}) and no approve or reject within ${formatDuration(timeout)}`,
        );
      if (decision.decision === 'reject')
        throw new SwapStop(
          'rolled-back',
          'approval',
          `rejected by ${describeDecider(decision)} (validation inconclusive: ${why})`,
        );
    });
  }

  /** Major upgrades: wait for the window, maintenance on, data migration. */
  private async enterMaintenance(account: AccountSnapshot): Promise<void> {
    const window = account.maintenanceWindow!;
    await this.step('maintenance', async () => {
      const wait = Date.parse(window.start) - Date.now();
      if (wait > 0) {
        this.record.apply(waitStarted, { for: 'maintenance-window', start: window.start, end: window.end });
        await sleep(wait, { summary: `wait for the maintenance window at ${window.start}` });
      }
      await this.waitWhileHeld('maintenance');
      if (Date.parse(window.end) <= Date.now())
        throw new SwapStop(
          'rolled-back',
          'maintenance',
          `the maintenance window closed (${window.end}) before the promotion could start`,
        );
      this.undo.add('maintenance mode off', maintenanceOff(this.ctx));
      const summary = `maintenance mode on for ${account.accountId}`;
      await mutate(() => call('setMaintenanceMode', summary, {}, { ...this.ctx, enabled: true }));
    });
    await this.step('migration', () =>
      mutate(() =>
        call(
          'runDataMigration',
          `data migration ${account.version ?? '-'} → ${this.params.version}`,
          { startToCloseTimeout: '10 minutes' },
          { ...this.ctx, fromVersion: account.version },
        ),
      ),
    );
  }

  /** The parent release holds its children while it is paused: no promotion until released. */
  private async waitWhileHeld(before: DeploymentStep): Promise<void> {
    if (!this.record.status.held) return;
    this.record.apply(waitStarted, { for: 'release', before });
    await condition(() => !this.record.status.held);
  }

  /** Green serves already: a drain that fails leaves blue behind (reported), it never rolls back. */
  private async drainBlue(): Promise<void> {
    const blue = [...this.record.status.blue];
    const drainTimeout = this.params.strategy.drainTimeout;
    try {
      const drained = await call(
        'drainInstances',
        `drain ${blue.length} blue instance(s) (in-flight requests finish, up to ${formatDuration(drainTimeout)})`,
        { startToCloseTimeout: drainTimeout + SLACK_MS * 2 },
        { ...this.ctx, instanceIds: blue, timeoutMs: drainTimeout },
      );
      const forget = 'forget the stopped blue instances';
      await call('decommissionInstances', forget, {}, { ...this.ctx, instanceIds: drained.stopped });
      this.record.apply(blueDrained, drained);
    } catch (error) {
      this.record.apply(drainFailed, { reason: describeFailure(error) });
    }
  }

  /** Runs the undo list (non-cancellable) and turns the failure into the result; a cancellation is rethrown afterwards. */
  private async rollBack(error: unknown): Promise<DeploymentResult> {
    const failure = classifyFailure(error);
    const phase = this.record.status.phase;
    this.record.apply(stopped, { failure, compensations: this.undo.pending });
    const undone =
      this.undo.pending.length === 0
        ? { skipped: [] }
        : await CancellationScope.nonCancellable(() =>
            this.step('rollback', () => this.undo.runAll(rollbackCause(failure))),
          );
    this.record.apply(finished, decideRollback(failure, phase, undone, this.record.status.green));
    if (failure.kind === 'cancelled') throw error;
    return resultOf(this.record.status);
  }

  // ---------------------------------------------------------------- plumbing

  private step<T>(name: StepName, run: () => Promise<T>): Promise<T> {
    return step(this.record, name, run);
  }

  private check(name: CheckReport['check'] & DeploymentStep, run: () => Promise<CheckReport>): Promise<void> {
    return check(this.record, name, run);
  }

  private finish(ending: Ending): DeploymentResult {
    return resultOf(this.record.apply(finished, ending));
  }
}
