/**
 * The plan of a release not started yet, from what the platform says now: the registry (waves,
 * maintenance windows), each account's running version, and the version catalogue. Reads only.
 */
import { describeIssues } from '../domain/primitives';
import { previewRelease, estimateSwapMs, type PlanAccount, type ReleasePlan } from '../domain/plan/preview';
import { StagedReleaseInputSchema, type StagedReleaseParams } from '../domain/release/input';
import { planWaves, waveConcurrency } from '../domain/release/waves';
import { scheduleFromInput } from '../domain/release/schedule';
import { FleetError, type AccountInfo, type FleetProvider } from '../platform/provider';
import type { FreeMoment } from '../domain/plan/preview';
import { UsageError } from './options';

/** Account states asked at once: a registry of thousands is read in a few seconds without flooding the platform. */
const PARALLEL_READS = 16;

export async function dryRunPlan(
  fleet: FleetProvider,
  input: Record<string, unknown>,
  now: number,
  freeAt?: FreeMoment,
): Promise<ReleasePlan> {
  const parsed = StagedReleaseInputSchema.safeParse(input);
  if (!parsed.success) throw new UsageError(`the release would be refused: ${describeIssues(parsed.error)}`);
  const params = parsed.data;
  await refuseUnknownVersion(fleet, params.version);
  const registry = await fleet.listAccounts();
  const waves = planWaves(
    registry.map(({ accountId, earlyAccess, internal }) => ({
      accountId,
      earlyAccess,
      ...(internal ? { internal } : {}),
    })),
    params.accounts,
  );
  if (waves.unknown.length) throw new UsageError(`the fleet does not know ${waves.unknown.join(', ')}`);
  const info = new Map(registry.map((account) => [account.accountId, account]));
  const running = await runningVersions(
    fleet,
    waves.accounts.map((account) => account.accountId),
  );
  const accounts: PlanAccount[] = waves.accounts.map(({ accountId, wave }) => ({
    accountId,
    wave,
    from: running.get(accountId) ?? null,
    state: 'pending',
    ...windowOf(info.get(accountId), now + params.strategy.announceAhead),
  }));
  return previewRelease({
    releaseId: params.releaseId,
    version: params.version,
    kind: params.kind,
    schedule: scheduleFromInput(params.schedule, now),
    concurrency: concurrencyOf(params),
    swapMs: estimateSwapMs(params.strategy),
    accounts,
    windowsKnown: true,
    ...(freeAt ? { freeAt } : {}),
    now,
  });
}

export function concurrencyOf(params: Pick<StagedReleaseParams, 'strategy'>): Record<0 | 1 | 2, number> {
  const { strategy } = params;
  return { 0: waveConcurrency(strategy, 0), 1: waveConcurrency(strategy, 1), 2: waveConcurrency(strategy, 2) };
}

async function refuseUnknownVersion(fleet: FleetProvider, version: string): Promise<void> {
  try {
    await fleet.getVersion(version);
  } catch (error) {
    if (error instanceof FleetError && error.status === 404)
      throw new UsageError(
        `version ${version} is not in the platform's version catalogue; the release would be refused`,
      );
    throw error;
  }
}

async function runningVersions(fleet: FleetProvider, accountIds: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  let next = 0;
  const reader = async () => {
    while (next < accountIds.length) {
      const accountId = accountIds[next++];
      out.set(accountId, (await fleet.accountState(accountId)).version);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_READS }, reader));
  return out;
}

/** The part of the account's window a major swap may use: announced now, so not before the lead time has passed. */
function windowOf(account: AccountInfo | undefined, announcedBy: number): Pick<PlanAccount, 'maintenanceWindow'> {
  const window = account?.maintenanceWindow;
  if (!window) return {};
  const end = Date.parse(window.end);
  const start = Math.max(Date.parse(window.start), announcedBy);
  return start < end ? { maintenanceWindow: { start, end } } : {};
}
