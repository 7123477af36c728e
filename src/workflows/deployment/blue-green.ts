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
 * the claim is released last. An infrastructure fault (a fleet that does not answer, a lost
 * worker) is never such a failure: every call retries by time and the step shows as stalled
 * meanwhile (SwapCalls, retry-by-time.ts). Business outcomes are results; a cancelled
 * swap cleans up and then ends cancelled. The status changes only through the domain's
 * transitions (src/domain/deployment/transitions.ts), applied by the SwapRecord.
 */
import { CancellationScope, condition, patched, sleep, workflowInfo } from '@temporalio/workflow';
import type { AccountSnapshot, SwapContext } from '../../domain/deployment/activities';
import { provisionRequestId } from '../../domain/deployment/ownership';
import { planSwap, type SwapPlan } from '../../domain/deployment/plan';
import { judgePreflight } from '../../domain/deployment/preflight';
import { decideRollback, rollbackCause, UNDO } from '../../domain/deployment/rollback';
import { resultOf, type StepName } from '../../domain/deployment/status';
import {
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
import { formatDuration } from '../../domain/primitives';
import {
  check,
  LOCAL_FLEET_CALLS_PATCH,
  mutate,
  PROBES_MS,
  resuming,
  SLACK_MS,
  step,
  SwapCalls,
} from './activity-calls';
import { Compensations } from './compensations';
import { classifyFailure, describeFailure, SwapStop } from './failures';
import { installHandlers } from './handlers';
import { parseSwapInput } from './input';
import { AccountLease } from './lease';
import { SwapRecord } from './record';
import { decommissionGreen, maintenanceOff, routeBackToBlue } from './undo';

/** What the canary (up to 10,000 samples per side) and a major's data migration may take when nothing is wrong. */
const CANARY_MS = 5 * 60_000;
const MIGRATION_MS = 10 * 60_000;

export async function blueGreenDeployment(input: BlueGreenInput): Promise<DeploymentResult> {
  const params = parseSwapInput(input);
  const record = new SwapRecord(startSwap(params, Date.now()));
  installHandlers(record);
  return new BlueGreenSwap(params, record).run();
}

class BlueGreenSwap {
  private readonly ctx: SwapContext;
  private readonly undo = new Compensations();
  private readonly plan: SwapPlan;
  private readonly lease: AccountLease;
  private readonly calls: SwapCalls;

  constructor(
    private readonly params: BlueGreenParams,
    private readonly record: SwapRecord,
  ) {
    const { accountId, version, releaseId } = params;
    this.ctx = releaseId ? { accountId, version, releaseId } : { accountId, version };
    this.plan = planSwap(params);
    this.calls = new SwapCalls(record, params.strategy.faults);
    this.lease = new AccountLease(record, this.calls, this.ctx);
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
      return this.calls.run('describeAccount', `read account ${accountId}`, this.ctx);
    });
    this.record.apply(accountRead, { fromVersion: account.version, blue: account.pool });
    const preflight = judgePreflight(account, this.params, Date.now());
    if (preflight.verdict === 'done') return this.finish({ outcome: 'promoted', reason: preflight.reason });
    if (preflight.verdict === 'refused') throw new SwapStop('failed', 'preflight', preflight.reason);

    const green = await this.step('provision', () => {
      const { workflowId, firstExecutionRunId } = workflowInfo();
      const requestId = provisionRequestId(workflowId, firstExecutionRunId);
      this.undo.add(UNDO.decommissionGreen, decommissionGreen(this.record, this.calls, this.ctx, requestId));
      const count = strategy.instances ?? account.instanceCount;
      const summary = `provision ${count} green instance(s) of ${version}`;
      return mutate(() => this.calls.run('provisionGreen', summary, { ...this.ctx, count, requestId }));
    });
    this.record.apply(greenProvisioned, { green });

    await this.validate(account, green);

    // A held swap waits before it changes traffic; a major upgrade waits before maintenance goes on,
    // never while the account is in maintenance.
    if (this.plan.maintenance) await this.enterMaintenance(account);
    else await this.waitWhileHeld('promote');
    await this.step('promote', () => {
      this.undo.add(UNDO.routeBackToBlue, routeBackToBlue(this.record, this.calls, this.ctx));
      const summary = `switch the request pool of ${accountId} to green (${version})`;
      return mutate(() => this.calls.run('promoteGreen', summary, { ...this.ctx, instanceIds: green }));
    });
    if (this.plan.maintenance) {
      await this.step('maintenance', () =>
        mutate(() => this.calls.run('setMaintenanceMode', 'maintenance mode off', { ...this.ctx, enabled: false })),
      );
      this.undo.remove(UNDO.maintenanceOff);
    }

    await this.step('watch', async () => {
      const watch = { ...strategy.watch, duration: this.plan.watchMs };
      const outcome = await this.calls.run(
        'watchGreen',
        `watch green through the router for ${formatDuration(watch.duration)} (errors ≤ ${watch.maxErrorRate * 100}%, p99 ≤ ${watch.maxP99Ms}ms)`,
        resuming({
          ...this.ctx,
          useCases: account.useCases,
          durationMs: watch.duration,
          probesPerSecond: watch.probesPerSecond,
          maxErrorRate: watch.maxErrorRate,
          maxP99Ms: watch.maxP99Ms,
          seed: `${workflowInfo().workflowId}/watch`,
        }),
        watch.duration,
      );
      this.record.apply(checkReported, { report: outcome.report });
    });

    // A keep-warm of 0 is no keep-warm: swaps from LOCAL_FLEET_CALLS_PATCH on start no timer for it.
    if (this.plan.keepBlueWarm && (strategy.keepBlueWarm > 0 || !patched(LOCAL_FLEET_CALLS_PATCH)))
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
      this.calls.run(
        'awaitGreenReady',
        `wait up to ${formatDuration(strategy.readinessTimeout)} for ${green.length} green instance(s) to be ready`,
        resuming({ ...this.ctx, instanceIds: green, timeoutMs: strategy.readinessTimeout }),
        strategy.readinessTimeout,
      ),
    );
    await this.check('core-functionality', () =>
      this.calls.run(
        'runSmokeChecks',
        `${strategy.smokeRequests} smoke request(s) per use case on green`,
        { ...validation, requestsPerUseCase: strategy.smokeRequests },
        PROBES_MS,
      ),
    );
    await this.check('use-case-readiness', () =>
      this.calls.run(
        'checkUseCaseReadiness',
        `readiness of ${account.useCases.length} use case(s) on every green instance`,
        validation,
        PROBES_MS,
      ),
    );
    if (this.plan.canary)
      await this.check('canary', () =>
        this.calls.run(
          'runCanary',
          `canary: ${strategy.canary.sampleSize} sample requests to green and blue, mismatch ≤ ${strategy.canary.mismatchThreshold * 100}%`,
          {
            ...this.ctx,
            greenIds: green,
            blueIds: account.pool,
            useCases: account.useCases,
            ...strategy.canary,
            seed: `${workflowInfo().workflowId}/canary`,
          },
          CANARY_MS,
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
      this.undo.add(UNDO.maintenanceOff, maintenanceOff(this.calls, this.ctx));
      const summary = `maintenance mode on for ${account.accountId}`;
      await mutate(() => this.calls.run('setMaintenanceMode', summary, { ...this.ctx, enabled: true }));
    });
    await this.step('migration', () =>
      mutate(() =>
        this.calls.run(
          'runDataMigration',
          `data migration ${account.version ?? '-'} → ${this.params.version}`,
          { ...this.ctx, fromVersion: account.version },
          MIGRATION_MS,
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
      const drained = await this.calls.run(
        'drainInstances',
        `drain ${blue.length} blue instance(s) (in-flight requests finish, up to ${formatDuration(drainTimeout)})`,
        resuming({ ...this.ctx, instanceIds: blue, timeoutMs: drainTimeout }),
        drainTimeout + SLACK_MS,
      );
      const forget = 'forget the stopped blue instances';
      await this.calls.run('decommissionInstances', forget, { ...this.ctx, instanceIds: drained.stopped });
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
    const { accountId, version, fromVersion, blue, green } = this.record.status;
    const scene = { accountId, version, fromVersion, blue, green };
    this.record.apply(finished, decideRollback(failure, phase, undone, scene));
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
