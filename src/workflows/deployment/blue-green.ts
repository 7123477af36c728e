/**
 * blueGreenDeployment: one account from its running version (blue) to a new one (green), with
 * zero downtime. The runbook:
 *
 *   preflight  read the account; already at the version → done; major without window → failed
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
 * Any failure, a reject or a cancellation runs the undo list in reverse (non-cancellable), so
 * traffic is on blue and no green instance remains. Business outcomes are results; a cancelled
 * swap cleans up and then ends cancelled.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  ApprovalSchema,
  BlueGreenInputSchema,
  DEPLOYMENT_FAILURES,
  type Approval,
  type BlueGreenInput,
  type BlueGreenParams,
  type CheckReport,
  type DeploymentOutcome,
  type DeploymentOutcomeAttribute,
  type DeploymentResult,
  type DeploymentStatus,
  type DeploymentStep,
  type RollbackTiming,
} from '../../domain/deployment/swap';
import type { AccountSnapshot, DeploymentActivities, SwapContext } from '../../domain/deployment/activities';
import { formatDuration } from '../../domain/primitives';
import { describeIssues } from '../../domain/primitives';
import { AccountIdKey, DeploymentOutcomeKey, ReleaseIdKey, ReleaseVersionKey } from '../../domain/search-attributes';
import { Compensations } from './compensations';
import { renderDetails } from './details';
import {
  approveSignal,
  approveUpdate,
  deploymentStatusQuery,
  holdSignal,
  rejectSignal,
  rejectUpdate,
  releaseSignal,
} from './messages';

/** Transient fleet errors are retried with backoff; the activities make the other outcomes non-retryable. */
const RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 8 } as const;
/** Every activity heartbeats each second; a crashed worker is noticed after this long. */
const HEARTBEAT_TIMEOUT = '5s';
/** Slack added to step timeouts that depend on the strategy (readiness, watch, drain). */
const SLACK_MS = 30_000;

const fleet = proxyActivities<DeploymentActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: RETRY,
});

/** A business outcome that ends the swap early (nothing to retry): becomes the result. */
class SwapStop extends Error {
  constructor(
    readonly outcome: DeploymentOutcome,
    readonly step: DeploymentStep,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SwapStop';
  }
}

export async function blueGreenDeployment(input: BlueGreenInput): Promise<DeploymentResult> {
  return new BlueGreenSwap(parseInput(input)).run();
}

function parseInput(input: unknown): BlueGreenParams {
  const parsed = BlueGreenInputSchema.safeParse(input ?? {});
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
  private readonly status: DeploymentStatus;
  private decision?: { decision: 'approve' | 'reject'; reason?: string; by?: string };
  private rollback?: RollbackTiming;
  private watchBreachAt?: string;
  private leftBehind: string[] = [];

  constructor(private readonly params: BlueGreenParams) {
    const { accountId, version, releaseId, kind } = params;
    this.ctx = releaseId ? { accountId, version, releaseId } : { accountId, version };
    this.status = {
      accountId,
      version,
      kind,
      ...(releaseId ? { releaseId } : {}),
      fromVersion: null,
      step: 'starting',
      held: false,
      awaitingApproval: false,
      checks: [],
      steps: [],
      instances: { blue: [], green: [] },
    };
  }

  async run(): Promise<DeploymentResult> {
    this.installHandlers();
    this.setOutcomeAttribute('in-progress');
    upsertSearchAttributes([
      { key: AccountIdKey, value: this.params.accountId },
      { key: ReleaseVersionKey, value: this.params.version },
      ...(this.params.releaseId ? [{ key: ReleaseIdKey, value: this.params.releaseId }] : []),
    ]);
    try {
      return await this.swap();
    } catch (error) {
      return await this.rollBack(error);
    }
  }

  // ---------------------------------------------------------------- the runbook

  private async swap(): Promise<DeploymentResult> {
    const { accountId, version, kind, strategy } = this.params;

    const account = await this.step('preflight', () =>
      this.call('describeAccount', `read account ${accountId}`, {}, this.ctx),
    );
    this.status.fromVersion = account.version;
    this.status.instances.blue = account.pool;
    if (account.version === version) return this.finish('promoted', `already at version ${version}; nothing to do`);
    if (account.pool.length === 0)
      throw new SwapStop(
        'failed',
        'preflight',
        `account ${accountId} has no running instances: no blue to fall back to`,
      );
    if (kind === 'major') this.checkMaintenanceWindow(account);

    const green = await this.step('provision', () => {
      this.undo.add('decommission green', () => this.decommissionGreen());
      const count = strategy.instances ?? account.instanceCount;
      // Same key for every retry, replay, reset or continue-as-new of this execution (so never a
      // second set of instances), a new key for a later execution with the same workflow id.
      const { workflowId, firstExecutionRunId } = workflowInfo();
      const requestId = `provision/${firstExecutionRunId}/${workflowId}`.slice(0, 200);
      return this.mutate(() =>
        this.call(
          'provisionGreen',
          `provision ${count} green instance(s) of ${version}`,
          {},
          { ...this.ctx, count, requestId },
        ),
      );
    });
    this.status.instances.green = green;

    await this.validate(account, green);

    // A held swap waits before it changes traffic; a major upgrade waits before maintenance goes on,
    // never while the account is in maintenance.
    if (kind === 'major') await this.enterMaintenance(account);
    else await this.waitWhileHeld('promote');
    await this.step('promote', () => {
      this.undo.add('route traffic back to blue', () => this.routeBackToBlue());
      return this.mutate(() =>
        this.call(
          'promoteGreen',
          `switch the request pool of ${accountId} to green (${version})`,
          {},
          { ...this.ctx, instanceIds: green },
        ),
      );
    });
    if (kind === 'major') {
      await this.step('maintenance', () =>
        this.mutate(() => this.call('setMaintenanceMode', 'maintenance mode off', {}, { ...this.ctx, enabled: false })),
      );
      this.undo.remove('maintenance mode off');
    }

    await this.step('watch', async () => {
      const { watch } = strategy;
      const outcome = await this.call(
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
      this.status.checks.push(outcome.report);
    });

    await this.step('keep-warm', () =>
      sleep(strategy.keepBlueWarm, { summary: `keep blue warm for ${formatDuration(strategy.keepBlueWarm)}` }),
    );

    // Point of no return: blue leaves for good. Nothing is undone after this.
    this.undo.clear();
    await this.step('drain', () => CancellationScope.nonCancellable(() => this.drainBlue()));
    return this.finish(
      'promoted',
      this.leftBehind.length
        ? `promoted; blue instance(s) ${this.leftBehind.join(', ')} did not stop`
        : `promoted ${version}`,
    );
  }

  /** Initialization, core functionality, use-case readiness, canary; an inconclusive check waits for on-call. */
  private async validate(account: AccountSnapshot, green: string[]): Promise<void> {
    const { strategy } = this.params;
    const validation = { ...this.ctx, instanceIds: green, useCases: account.useCases };
    await this.check('initialization', () =>
      this.call(
        'awaitGreenReady',
        `wait up to ${formatDuration(strategy.readinessTimeout)} for ${green.length} green instance(s) to be ready`,
        { startToCloseTimeout: strategy.readinessTimeout + SLACK_MS },
        { ...this.ctx, instanceIds: green, timeoutMs: strategy.readinessTimeout },
      ),
    );
    await this.check('core-functionality', () =>
      this.call(
        'runSmokeChecks',
        `${strategy.smokeRequests} smoke request(s) per use case on green`,
        {},
        { ...validation, requestsPerUseCase: strategy.smokeRequests },
      ),
    );
    await this.check('use-case-readiness', () =>
      this.call(
        'checkUseCaseReadiness',
        `readiness of ${account.useCases.length} use case(s) on every green instance`,
        {},
        validation,
      ),
    );
    await this.check('canary', () =>
      this.call(
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
    const inconclusive = this.status.checks.filter((c) => c.verdict === 'inconclusive');
    if (inconclusive.length > 0) await this.awaitApproval(inconclusive);
  }

  /** An inconclusive validation never promotes silently: on-call approves or rejects before the deadline, or it rolls back. */
  private async awaitApproval(inconclusive: CheckReport[]): Promise<void> {
    const timeout = this.params.strategy.approvalTimeout;
    const why = inconclusive.map((c) => `${c.check}: ${c.summary}`).join('; ');
    await this.step('approval', async () => {
      this.status.awaitingApproval = true;
      this.refreshDetails(
        `Validation inconclusive (${why}). Waiting up to ${formatDuration(timeout)} for \`approve\` or \`reject\`.`,
      );
      log.warn('validation inconclusive: waiting for an on-call decision', { why, timeout });
      const decided =
        timeout > 0 &&
        (await condition(() => this.decision !== undefined, timeout, {
          summary: `wait ${formatDuration(timeout)} for on-call approve/reject`,
        }));
      this.status.awaitingApproval = false;
      if (!decided || !this.decision)
        throw new SwapStop(
          'rolled-back',
          'approval',
          `validation inconclusive (${why}) and no approve or reject within ${formatDuration(timeout)}`,
        );
      const who = `${this.decision.by ?? 'on-call'}${this.decision.reason ? `: ${this.decision.reason}` : ''}`;
      if (this.decision.decision === 'reject')
        throw new SwapStop('rolled-back', 'approval', `rejected by ${who} (validation inconclusive: ${why})`);
      log.info(`approved by ${who}`);
    });
  }

  private checkMaintenanceWindow(account: AccountSnapshot): void {
    const window = account.maintenanceWindow;
    if (!window) {
      throw new SwapStop(
        'failed',
        'preflight',
        `major upgrade of ${account.accountId} needs an announced maintenance window, and the account has none`,
      );
    }
    if (Date.parse(window.end) <= Date.now()) {
      throw new SwapStop(
        'failed',
        'preflight',
        `the maintenance window of ${account.accountId} (${window.start} to ${window.end}) has already ended`,
      );
    }
  }

  /** Major upgrades: wait for the window, maintenance on, data migration. */
  private async enterMaintenance(account: AccountSnapshot): Promise<void> {
    const window = account.maintenanceWindow!;
    await this.step('maintenance', async () => {
      const wait = Date.parse(window.start) - Date.now();
      if (wait > 0) {
        this.refreshDetails(`Waiting for the maintenance window (${window.start} to ${window.end}).`);
        await sleep(wait, { summary: `wait for the maintenance window at ${window.start}` });
      }
      await this.waitWhileHeld('maintenance');
      if (Date.parse(window.end) <= Date.now())
        throw new SwapStop(
          'rolled-back',
          'maintenance',
          `the maintenance window closed (${window.end}) before the promotion could start`,
        );
      this.undo.add('maintenance mode off', () =>
        this.call(
          'setMaintenanceMode',
          'maintenance mode off (rollback)',
          { retry: { ...RETRY, maximumAttempts: 10 } },
          { ...this.ctx, enabled: false },
        ),
      );
      await this.mutate(() =>
        this.call(
          'setMaintenanceMode',
          `maintenance mode on for ${account.accountId}`,
          {},
          { ...this.ctx, enabled: true },
        ),
      );
    });
    await this.step('migration', async () => {
      await this.mutate(() =>
        this.call(
          'runDataMigration',
          `data migration ${account.version ?? '-'} → ${this.params.version}`,
          { startToCloseTimeout: '10 minutes' },
          { ...this.ctx, fromVersion: account.version },
        ),
      );
    });
  }

  /** The parent release holds its children while it is paused: no promotion until released. */
  private async waitWhileHeld(before: DeploymentStep): Promise<void> {
    if (!this.status.held) return;
    this.refreshDetails(`Held by the release before \`${before}\`; waiting for \`release\`.`);
    log.info(`held before ${before}`);
    await condition(() => !this.status.held);
    log.info('released');
  }

  /** Green serves already: a drain that fails leaves blue behind (reported), it never rolls back. */
  private async drainBlue(): Promise<void> {
    const blue = this.status.instances.blue;
    const drainTimeout = this.params.strategy.drainTimeout;
    try {
      const drained = await this.call(
        'drainInstances',
        `drain ${blue.length} blue instance(s) (in-flight requests finish, up to ${formatDuration(drainTimeout)})`,
        { startToCloseTimeout: drainTimeout + SLACK_MS * 2 },
        { ...this.ctx, instanceIds: blue, timeoutMs: drainTimeout },
      );
      await this.call(
        'decommissionInstances',
        'forget the stopped blue instances',
        {},
        { ...this.ctx, instanceIds: drained.stopped },
      );
      this.leftBehind = drained.leftRunning;
    } catch (error) {
      this.leftBehind = blue;
      log.error(`draining blue failed after promotion: ${describeFailure(error)}`, { leftBehind: blue });
    }
  }

  // ---------------------------------------------------------------- compensations

  private async decommissionGreen(): Promise<void> {
    await this.call(
      'decommissionGreen',
      `decommission green (${this.params.version})`,
      { retry: { ...RETRY, maximumAttempts: 10 } },
      { ...this.ctx, instanceIds: this.status.instances.green },
    );
  }

  private async routeBackToBlue(): Promise<void> {
    const { trafficOnBlueAt } = await this.call(
      'routeBackToBlue',
      'route traffic back to blue',
      { retry: { ...RETRY, initialInterval: '200ms', maximumAttempts: 10 } },
      { ...this.ctx, blueIds: this.status.instances.blue },
    );
    const detectedAt = this.watchBreachAt;
    this.rollback = {
      trigger: this.status.reason ?? 'rollback',
      ...(detectedAt ? { detectedAt, rollbackMs: Date.parse(trafficOnBlueAt) - Date.parse(detectedAt) } : {}),
      trafficOnBlueAt,
    };
  }

  /** Runs the undo list (non-cancellable) and turns the failure into the result; a cancellation is rethrown afterwards. */
  private async rollBack(error: unknown): Promise<DeploymentResult> {
    const cancelled = isCancellation(error);
    const failedStep =
      this.status.step === 'starting' || this.status.step === 'rollback' || this.status.step === 'done'
        ? 'preflight'
        : this.status.step;
    const stop = error instanceof SwapStop ? error : undefined;
    const failureType = failureTypeOf(error);
    let outcome: DeploymentOutcome = stop?.outcome ?? (isPreconditionFailure(failureType) ? 'failed' : 'rolled-back');
    this.status.reason = cancelled
      ? 'cancelled while the swap was in progress'
      : (stop?.reason ?? describeFailure(error));
    this.watchBreachAt = watchBreachTime(error);
    const report = checkReportOf(error);
    if (report) this.status.checks.push(report);
    log.warn(`swap stopped at ${failedStep}: ${this.status.reason}`, { compensations: this.undo.pending });

    const undone =
      this.undo.pending.length === 0
        ? { done: [], skipped: [] as string[], failed: undefined }
        : await CancellationScope.nonCancellable(() =>
            this.step('rollback', async () => {
              this.refreshDetails(`Rolling back: ${this.status.reason}`);
              return this.undo.runAll();
            }),
          );
    if (undone.failed) {
      outcome = 'failed';
      const green = this.status.instances.green;
      this.leftBehind = green;
      this.status.reason = `${this.status.reason}; ROLLBACK INCOMPLETE: "${undone.failed.name}" failed (${describeFailure(undone.failed.error)})${undone.skipped.length ? `, not done: ${undone.skipped.join(', ')}` : ''}; left behind: ${green.join(', ') || 'nothing known'}`;
      log.error(this.status.reason);
    }
    if (cancelled) {
      this.status.outcome = 'cancelled';
      this.status.step = 'done';
      this.setOutcomeAttribute(undone.failed ? 'failed' : 'cancelled');
      this.refreshDetails(undone.failed ? this.status.reason : 'Cancelled; traffic is on blue and green was removed.');
      throw error;
    }
    return this.finish(outcome, this.status.reason, stop?.step ?? failedStep);
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * A step that changes the fleet runs to its end even when the swap is cancelled meanwhile: the
   * server does not wait for a cancelled activity to stop before the workflow goes on, and a
   * compensation racing a provision or a pool switch still in flight could leave green behind
   * or traffic on a green about to be removed. The cancellation takes effect right after.
   */
  private mutate<T>(run: () => Promise<T>): Promise<T> {
    return CancellationScope.nonCancellable(run);
  }

  private finish(outcome: DeploymentOutcome, reason: string, failedStep?: DeploymentStep): DeploymentResult {
    this.status.outcome = outcome;
    this.status.reason = reason;
    this.status.step = 'done';
    this.setOutcomeAttribute(outcome);
    this.refreshDetails();
    log.info(`swap ${outcome}: ${reason}`);
    return {
      accountId: this.params.accountId,
      fromVersion: this.status.fromVersion,
      toVersion: this.params.version,
      outcome,
      ...(failedStep && outcome !== 'promoted' ? { failedStep } : {}),
      reason,
      checks: this.status.checks,
      steps: this.status.steps,
      leftBehind: this.leftBehind,
      ...(this.rollback ? { rollback: this.rollback } : {}),
      instances: this.status.instances,
    };
  }

  /** Runs one step of the runbook, timing it and keeping the status and the UI details current. */
  private async step<T>(step: DeploymentStep | 'rollback', run: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    this.status.step = step;
    this.refreshDetails();
    try {
      return await run();
    } finally {
      this.status.steps.push({
        step,
        startedAt: new Date(startedAt).toISOString(),
        durationMs: Date.now() - startedAt,
      });
    }
  }

  /** A validation check: passed or inconclusive reports come back, failed ones arrive as a ValidationFailed failure. */
  private async check(step: CheckReport['check'] & DeploymentStep, run: () => Promise<CheckReport>): Promise<void> {
    const report = await this.step(step, run);
    this.status.checks.push(report);
  }

  private call<K extends keyof DeploymentActivities>(
    name: K,
    summary: string,
    options: ActivityOptions,
    input: Parameters<DeploymentActivities[K]>[0],
  ): ReturnType<DeploymentActivities[K]> {
    const activity = fleet[name] as unknown as {
      executeWithOptions(options: ActivityOptions, args: unknown[]): ReturnType<DeploymentActivities[K]>;
    };
    return activity.executeWithOptions({ ...options, summary }, [input]);
  }

  private setOutcomeAttribute(value: DeploymentOutcomeAttribute): void {
    upsertSearchAttributes([{ key: DeploymentOutcomeKey, value }]);
  }

  private refreshDetails(note?: string): void {
    setCurrentDetails(renderDetails(this.status, note));
  }

  private installHandlers(): void {
    setHandler(deploymentStatusQuery, () => this.status);
    const decide = (decision: 'approve' | 'reject', payload: Approval | undefined) => {
      this.decision = { decision, ...payload };
      this.status.decision = this.decision;
    };
    const validator = (decision: 'approve' | 'reject') => (payload?: Approval) => {
      parseApproval(payload);
      if (!this.status.awaitingApproval || this.decision) {
        throw new Error(
          `nothing to ${decision}: the swap of ${this.params.accountId} is at step "${this.status.step}" and is not waiting for a decision`,
        );
      }
    };
    for (const [decision, signal, update] of [
      ['approve', approveSignal, approveUpdate],
      ['reject', rejectSignal, rejectUpdate],
    ] as const) {
      setHandler(
        update,
        (payload) => {
          decide(decision, parseApproval(payload));
          return this.status;
        },
        { validator: validator(decision) },
      );
      setHandler(signal, (payload) => {
        if (!this.status.awaitingApproval || this.decision) {
          log.warn(`${decision} signal ignored: the swap is not waiting for a decision`, { step: this.status.step });
          return;
        }
        try {
          decide(decision, parseApproval(payload));
        } catch (error) {
          log.warn(`${decision} signal ignored: ${String(error)}`);
        }
      });
    }
    setHandler(holdSignal, () => {
      this.status.held = true;
      this.refreshDetails();
    });
    setHandler(releaseSignal, () => {
      this.status.held = false;
      this.refreshDetails();
    });
  }
}

function parseApproval(payload: unknown): Approval {
  const parsed = ApprovalSchema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid decision: ${describeIssues(parsed.error, 'payload')} (send {"reason"?: string, "by"?: string})`,
  );
}

/** The ApplicationFailure behind an activity failure, if any. */
function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
  if (error instanceof ApplicationFailure) return error;
  return undefined;
}

function failureTypeOf(error: unknown): string | undefined {
  return applicationFailureOf(error)?.type ?? undefined;
}

/** Failures that mean the swap could not start at all (not a rollback of something tried). */
function isPreconditionFailure(type: string | undefined): boolean {
  return type === DEPLOYMENT_FAILURES.accountNotFound || type === DEPLOYMENT_FAILURES.versionNotFound;
}

function checkReportOf(error: unknown): CheckReport | undefined {
  const failure = applicationFailureOf(error);
  const report = failure?.details?.[0] as CheckReport | undefined;
  return report && typeof report === 'object' && 'check' in report && 'verdict' in report ? report : undefined;
}

function watchBreachTime(error: unknown): string | undefined {
  const failure = applicationFailureOf(error);
  if (failure?.type !== DEPLOYMENT_FAILURES.watchBreached) return undefined;
  const at = failure.details?.[1];
  return typeof at === 'string' ? at : undefined;
}

function describeFailure(error: unknown): string {
  const failure = applicationFailureOf(error);
  if (failure) return failure.message;
  if (error instanceof ActivityFailure) return `${error.activityType} failed: ${error.cause?.message ?? error.message}`;
  return error instanceof Error ? error.message : String(error);
}
