/**
 * `stagedRelease`: one weekly release taken through every account, as the on-call runbook says.
 *
 *   Day 1   wave 1 (early-access accounts) gets the version.
 *   bake    until Day 2; a wave-1 rollback or failure, or on-call, opens an issue.
 *   Day 2   a patch given by then is re-released to wave 1; an open issue without a patch holds.
 *   bake    until Day 3, and at least a full stage after the last wave-1 deployment.
 *   Day 3   wave 2 (every other account) gets the release's current target.
 *
 * Before Day 1, wave 0 (internal accounts) validates the version (wave-zero.ts), and every patch
 * before wave 1 gets it; a failure holds the release before any customer account is touched.
 *
 * On-call can pause, resume, patch, abort and report issues at any point (see handlers.ts). Every
 * change of the release's status is a transition of the domain (src/domain/release) that the run
 * applies (release-run.ts); the swaps are started and cancelled by its scheduler (swap-scheduler.ts).
 */
import { ApplicationFailure, log, patched, workflowInfo } from '@temporalio/workflow';
import { stagedReleaseInputBeforeRanges } from '../../domain/inputs-before-ranges';
import { describeIssues } from '../../domain/primitives';
import { CarriedRefused, resumeCarried, type CarriedRelease } from '../../domain/release/carried';
import {
  StagedReleaseInputSchema,
  type StagedReleaseInput,
  type StagedReleaseParams,
} from '../../domain/release/input';
import { planRelease } from '../../domain/release/lifecycle';
import { DECISION_LIMITS } from '../../domain/release/limits';
import { scheduleFromInput, scheduleMarks } from '../../domain/release/schedule';
import { newReleaseStatus, waveTwoStartsAt, whatHoldsRelease, type ReleaseStatus } from '../../domain/release/status';
import type { ReleaseResultView } from '../../domain/release/view';
import { planValidation } from '../../domain/release/validation';
import { planWaves, type RegistryAccount } from '../../domain/release/waves';
import { parseWithRanges } from '../input-rules';
import { windDownAbortedRelease } from './abort';
import { refuseUnknownVersion } from './catalogue';
import { chooseSinks } from './courier';
import { readRegistry } from './registry';
import { readFreezes } from './freeze';
import { refuseReleasedVersion } from './released-versions';
import { installHandlers } from './handlers';
import { applyPatchWithNotes, compileNotes } from './notes';
import { ReleaseAborted, ReleaseRun } from './release-run';
import { rolloutWave } from './waves';
import { validateOnWaveZero, WAVE_ZERO_PATCH } from './wave-zero';
import { announceMaintenance, usesMaintenanceWindows } from './maintenance';
import { leaveWithoutWindow } from '../../domain/release/maintenance';

export async function stagedRelease(input: StagedReleaseInput, carried?: CarriedRelease): Promise<ReleaseResultView> {
  const params = parseInput(input);
  const continued = carried !== undefined && carried !== null;
  const run = new ReleaseRun(input, params, continued ? resume(carried, params) : newRelease(params));
  installHandlers(run);
  if (!continued) {
    await chooseSinks(run);
    run.startCourier();
    await refuseUnknownVersion(params);
    await refuseReleasedVersion(params);
    const registry = await readAccountRegistry(run);
    if (usesMaintenanceWindows(run)) await announceMaintenance(run, registry);
    await compileNotes(run);
    await readFreezes(run);
  }
  run.startCourier();
  run.publishSearchAttributes();
  run.refreshDetails();
  log.info(continued ? 'release continued as new' : 'release started', { ...run.logAttrs, run: run.status.runs });

  try {
    run.throwIfAborted();
    const marks = scheduleMarks(run.status.schedule);
    if (run.status.day === 1) {
      await validateOnWaveZero(run);
      await dayOne(run, marks.day1);
      await run.waitUntil(marks.day2, 'bake', 'bake wave 1 until Day 2');
      run.enterDay(2);
    }
    if (run.status.day === 2) {
      await settleIssues(run);
      run.enterDay(3);
    }
    await dayThree(run);
    if (usesMaintenanceWindows(run)) run.apply(leaveWithoutWindow);
    run.complete();
  } catch (error) {
    if (!(error instanceof ReleaseAborted)) throw error;
    await windDownAbortedRelease(run);
  }
  return run.close();
}

function parseInput(input: StagedReleaseInput): StagedReleaseParams {
  const parsed = parseWithRanges(input, StagedReleaseInputSchema, stagedReleaseInputBeforeRanges);
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease input: ${describeIssues(parsed.error)}`,
      'InvalidInput',
    );
  return parsed.data;
}

/** The status carried by continue-as-new; anything else given as a second argument fails the release with InvalidInput. */
function resume(carried: unknown, params: StagedReleaseParams): ReleaseStatus {
  try {
    return resumeCarried(carried, params, Date.now());
  } catch (error) {
    if (!(error instanceof CarriedRefused)) throw error;
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease continue-as-new argument: ${error.message}`,
      'InvalidInput',
    );
  }
}

/** Marks releases that keep their decision limits in their status (see src/domain/release/limits.ts). */
export const DECISION_LIMITS_PATCH = 'decision-limits-in-status';

/**
 * What `status` answers while the account registry is being read (stage `planning`). The release
 * records today's decision limits; one started before they were kept replays without them.
 */
function newRelease(params: StagedReleaseParams): ReleaseStatus {
  const { releaseId, version, kind, notes } = params;
  const schedule = scheduleFromInput(params.schedule, workflowInfo().runStartTime.getTime());
  const limits = patched(DECISION_LIMITS_PATCH) ? DECISION_LIMITS : undefined;
  return newReleaseStatus({ releaseId, version, kind, notes, schedule, now: Date.now(), limits });
}

/**
 * Which accounts, in which wave: internal accounts validate the release first (wave 0, unless
 * skipped with a reason), then the fleet registry's early-access opt-ins.
 */
async function readAccountRegistry(run: ReleaseRun): Promise<RegistryAccount[]> {
  const registry = await readRegistry(run);
  const validates = patched(WAVE_ZERO_PATCH);
  const skip = run.params.skipValidation;
  const plan = planWaves(registry, run.params.accounts, validates && !skip);
  if (plan.unknown.length) {
    throw ApplicationFailure.nonRetryable(
      `Invalid stagedRelease input: accounts: the fleet does not know ${plan.unknown.slice(0, 20).join(', ')}${plan.unknown.length > 20 ? ` and ${plan.unknown.length - 20} more` : ''}`,
      'InvalidInput',
    );
  }
  if (plan.accounts.length === 0)
    throw ApplicationFailure.nonRetryable(
      'Invalid stagedRelease input: the fleet has no accounts to release to',
      'InvalidInput',
    );
  // Messages may have arrived while the registry was read; the plan keeps what they changed.
  run.apply((status, now) => planRelease(status, { accounts: plan.accounts }, now));
  if (validates) {
    const internalAccounts = plan.accounts.filter((account) => account.wave === 0).length;
    run.apply((status, now) => planValidation(status, { internalAccounts, skip }, now));
  }
  return registry;
}

/** Day 1: wave 1 gets the version. A spent failure budget holds it until on-call resumes (go on) or patches (re-released on Day 2). */
async function dayOne(run: ReleaseRun, day1: number): Promise<void> {
  await run.waitUntil(day1, 'scheduled', 'until Day 1');
  while ((await rolloutWave(run, 1)) === 'stopped') {
    if (run.status.pendingPatch) return;
    if ((await run.hold(whatHoldsRelease(run.status))) === 'patch') return;
  }
}

/**
 * The Day-2 rules, applied again whenever wave 2 stops: a patch is re-released to wave 1 and
 * becomes the target; an open issue with no patch holds the release until patch, resume or abort.
 */
async function settleIssues(run: ReleaseRun): Promise<void> {
  for (;;) {
    await applyPatchWithNotes(run);
    // A patch is validated on the internal accounts before wave 1 gets it.
    await validateOnWaveZero(run);
    if (run.waveMayGoOn(1) && (await rolloutWave(run, 1)) === 'stopped') continue;
    if (run.waveMayGoOn(2)) return;
    await run.hold(whatHoldsRelease(run.status));
  }
}

/** Day 3: once wave 1 has baked, wave 2 gets the current target; anything that stops it goes back through the Day-2 rules. */
async function dayThree(run: ReleaseRun): Promise<void> {
  for (;;) {
    await settleIssues(run);
    await run.waitUntil(waveTwoStartsAt(run.status), 'bake', 'bake until Day 3');
    if (!run.waveMayGoOn(2)) continue;
    if ((await rolloutWave(run, 2)) === 'done' && run.waveMayGoOn(2)) return;
  }
}
