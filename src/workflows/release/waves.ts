/** Rolling the release's target version out to one wave, with the wave's concurrency and failure budget. */
import { log } from '@temporalio/workflow';
import { accountsToDeploy, openIssue, waveFailures } from '../../domain/release/status';
import { budgetExceeded, waveBudget, waveConcurrency, type Wave } from '../../domain/release/waves';
import { runDeployments } from './deployments';
import type { ReleaseRun } from './release-run';

/**
 * Deploys the target version to every account of the wave that has not had it yet. Returns
 * 'stopped' when the wave may not go on (failure budget exceeded, a patch given, or for wave 2 an
 * open issue); in-flight swaps have finished by then.
 */
export async function rolloutWave(run: ReleaseRun, wave: Wave): Promise<'done' | 'stopped'> {
  const { status } = run;
  const accountIds = accountsToDeploy(status, wave);
  if (accountIds.length === 0) return 'done';
  // No stage begins while paused.
  await run.wait(() => !status.paused);
  const version = status.targetVersion;
  run.enterStage(
    wave === 2 ? 'wave-2' : version === status.originalVersion ? 'wave-1' : 'patch-wave-1',
    `${accountIds.length} account(s) to ${version}`,
  );
  const result = await runDeployments(run, {
    accountIds,
    versionFor: () => version,
    concurrency: waveConcurrency(run.params.strategy, wave),
    mayStart: () => run.waveMayGoOn(wave),
    afterEach: (accountId) => detectFailure(run, wave, accountId),
    summary: (accountId) => `wave ${wave}: ${accountId} → ${version}`,
  });
  log.info(`wave ${wave} ${result}`, { ...run.logAttrs, accounts: accountIds.length });
  return result;
}

/** Automated detection: a wave-1 account that rolled back or failed opens an issue; a spent failure budget halts the wave. */
function detectFailure(run: ReleaseRun, wave: Wave, accountId: string): void {
  const { status } = run;
  const account = status.accounts[accountId];
  if (run.aborted || (account.outcome !== 'rolled-back' && account.outcome !== 'failed')) return;
  const now = Date.now();
  if (wave === 1)
    openIssue(status, now, {
      source: 'automated',
      summary: `${accountId} ${account.outcome} on ${account.attempted}: ${account.reason ?? ''}`,
      accounts: [accountId],
    });
  const failures = waveFailures(status, wave);
  const budget = waveBudget(run.params.strategy, wave);
  if (status.halt || !budgetExceeded(failures.length, budget)) return;
  const reason = `wave ${wave} failure budget (${budget}) exceeded: ${failures.length} account(s) rolled back or failed on ${status.targetVersion}`;
  status.halt = { wave, reason };
  log.warn('wave halted', { ...run.logAttrs, wave, failures: failures.length, budget });
  if (wave === 2) openIssue(status, now, { source: 'automated', summary: reason, accounts: failures });
}
