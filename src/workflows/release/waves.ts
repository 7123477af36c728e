/** Rolling the release's target version out to one wave, with the wave's concurrency and failure budget. */
import { log } from '@temporalio/workflow';
import { accountsToDeploy } from '../../domain/release/accounts';
import { judgeWave } from '../../domain/release/deployments';
import type { ReleaseStage } from '../../domain/release/input';
import { waveBudget, waveConcurrency, type Wave } from '../../domain/release/waves';
import { readFreezes } from './freeze';
import { rolloutInWindows, usesMaintenanceWindows } from './maintenance';
import type { ReleaseRun } from './release-run';

/**
 * Deploys the target version to every account of the wave that has not had it yet. Returns
 * 'stopped' when the wave may not go on (failure budget exceeded, a patch given, or for wave 2 an
 * open issue); in-flight swaps have finished by then.
 */
export async function rolloutWave(run: ReleaseRun, wave: Wave): Promise<'done' | 'stopped'> {
  const accountIds = accountsToDeploy(run.status.accounts, wave, run.status.targetVersion);
  if (accountIds.length === 0) return 'done';
  // A major release: each account inside its announced maintenance window.
  if (usesMaintenanceWindows(run)) return rolloutInWindows(run, wave, (ready) => deployWave(run, wave, ready));
  return deployWave(run, wave, accountIds);
}

async function deployWave(run: ReleaseRun, wave: Wave, accountIds: string[]): Promise<'done' | 'stopped'> {
  // No stage begins while paused.
  await run.wait(() => !run.status.paused);
  // A freeze added to the calendar during a long release is honoured from the next wave on.
  await readFreezes(run);
  const version = run.status.targetVersion;
  const stage: ReleaseStage =
    wave === 2 ? 'wave-2' : version === run.status.originalVersion ? 'wave-1' : 'patch-wave-1';
  run.enterStage(stage, `${accountIds.length} account(s) to ${version}`);
  const budget = waveBudget(run.params.strategy, wave);
  const result = await run.deploy({
    swaps: accountIds.map((accountId) => ({ accountId, version })),
    concurrency: waveConcurrency(run.params.strategy, wave),
    revert: false,
    mayGoOn: () => run.waveMayGoOn(wave),
    // Automated detection: a rollback or failure may open an issue and halt the wave.
    afterEach: (accountId) => run.apply((status, now) => judgeWave(status, { accountId, wave, budget }, now)),
    summary: (accountId) => `wave ${wave}: ${accountId} → ${version}`,
  });
  log.info(`wave ${wave} ${result}`, { ...run.logAttrs, accounts: accountIds.length });
  return result;
}
