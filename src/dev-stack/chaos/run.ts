/**
 * A chaos run: a release of the demo accounts on a stack of its own, under steady load on one
 * wave-2 account's router, while its fault plan kills workers, the dev server, the fleet's
 * control plane (through the proxy) and one engine instance. Answers the report; stops every
 * process it started, also when it fails or `signal` aborts (Ctrl-C).
 */
import pino from 'pino';
import { LocalFleetClient, startLoad, type RunningLoad } from '@staged-release/local-fleet';
import { releases } from '../../client';
import type { StagedReleaseInput } from '../../domain/release/input';
import type { Logger } from '../../logging/logger';
import { createFaultLog, type FaultLog } from './fault-log';
import { runEngineCrash, runFleetOutages, runServerKills, runWorkerKills, type RunClock } from './faults';
import { survivorsOf } from './leftovers';
import { readFleetFacts, readSwapFacts } from './observe';
import { ChaosOptionsSchema, type ChaosOptions, type ChaosOptionsInput } from './options';
import { planFaults, type FaultPlan } from './plan';
import { randomSeed } from './prng';
import { watchRelease, type ReleaseEnding } from './release-watch';
import { chaosReport, type ChaosFacts, type ChaosReport, type FaultCounts } from './report';
import { startChaosStack, type ChaosStack } from './stack';
import { WorkerSupervisor } from './worker-supervisor';

/** The healthy release of the demo seed: every account must end on it. */
export const CHAOS_VERSION = '2026.47.0';
const TASK_QUEUE = 'staged-release';

/**
 * The swaps' settings. The watch tolerates a p99 of 1 s instead of the default 250 ms: on a shared
 * two-core machine running twenty-odd engine processes and a worker that restarts every few seconds,
 * answers are slower for reasons that say nothing about the version, and this run judges the
 * orchestrator's faults, not the machine. Everything else is the default but for shorter waits.
 */
const CHAOS_STRATEGY: StagedReleaseInput['strategy'] = {
  concurrency: { wave1: 2, wave2: 4 },
  watch: { duration: '10 seconds', probesPerSecond: 10, maxErrorRate: 0.02, maxP99Ms: 1_000 },
  keepBlueWarm: '5 seconds',
  drainTimeout: '30 seconds',
};

export async function runChaos(input: ChaosOptionsInput, signal?: AbortSignal): Promise<ChaosReport> {
  const options = ChaosOptionsSchema.parse(input);
  const seed = options.seed ?? randomSeed();
  const faults = createFaultLog();
  const logger = pino({ name: 'chaos', level: options.logLevel }, pino.destination(2));
  faults.write('chaos-start', { seed, options: { ...options, seed } });
  const stack = await startChaosStack(options, logger, faults);
  const started: Started = {};
  let facts: Omit<ChaosFacts, 'leftRunning' | 'totalMs'>;
  try {
    facts = await releaseUnderFaults({ options, seed, stack, faults, logger, started, signal });
  } finally {
    started.load?.stop();
    await started.load?.done.catch(() => undefined);
    await started.workers?.stop();
    await stack.stop();
  }
  const leftRunning = await survivorsOf([...stack.processGroups(), ...(started.workers?.pids ?? [])]);
  return chaosReport({ ...facts, leftRunning, totalMs: faults.elapsedMs() });
}

/** What runChaos must stop whatever happens. */
interface Started {
  workers?: WorkerSupervisor;
  load?: RunningLoad;
}

interface RunContext {
  options: ChaosOptions;
  seed: number;
  stack: ChaosStack;
  faults: FaultLog;
  logger: Logger;
  started: Started;
  signal?: AbortSignal;
}

/** The release under load and faults, and what the fleet and visibility say once it has ended. */
async function releaseUnderFaults(context: RunContext): Promise<Omit<ChaosFacts, 'leftRunning' | 'totalMs'>> {
  const { options, seed, stack, faults, logger, started, signal } = context;
  signal?.throwIfAborted();
  const fleet = new LocalFleetClient(stack.fleetUrl);
  const accounts = await fleet.listAccounts();
  const plan = planFaults(seed, options, accounts);
  faults.write('plan', { ...plan });

  const workers = new WorkerSupervisor(
    { env: workerEnv(stack, options), serverUp: () => stack.server.whenUp() },
    logger,
    faults,
  );
  started.workers = workers;
  await workers.start();
  signal?.throwIfAborted();
  const loadTarget = await fleet.accountState(plan.loadAccount);
  const load = startLoad({
    url: loadTarget.routerUrl,
    durationMs: options.timeout + 600_000, // stopped when the release ends
    connections: options.loadConnections,
    rate: options.loadRate,
    useCases: accounts.find((account) => account.accountId === plan.loadAccount)?.useCases,
    timeoutMs: 10_000,
  });
  started.load = load;

  const releaseId = `chaos-${seed}`;
  const handle = await releases.start(
    stack.client,
    {
      releaseId,
      version: CHAOS_VERSION,
      notes: [`chaos run, seed ${seed}`],
      schedule: { stageLength: options.stageLength },
      strategy: CHAOS_STRATEGY,
    },
    { taskQueue: TASK_QUEUE },
  );
  const releaseStartedAt = Date.now();
  faults.write('release-started', { releaseId, version: CHAOS_VERSION, stageLengthMs: options.stageLength });

  const ended = new AbortController();
  const stopRun = () => ended.abort();
  signal?.addEventListener('abort', stopRun, { once: true });
  const clock: RunClock = { sinceRelease: () => Date.now() - releaseStartedAt, until: ended.signal };
  let runnerError: unknown;
  const guarded = <T>(runner: Promise<T>, none: T) =>
    runner.catch((error: unknown) => {
      runnerError ??= error;
      ended.abort();
      return none;
    });
  const timed = Promise.all([
    guarded(runWorkerKills(plan, workers, clock), undefined),
    guarded(runServerKills(plan, stack.server, clock, faults), 0),
    guarded(runFleetOutages(plan, stack.proxy, clock, faults), { outages: 0, outageMs: 0 }),
  ]);
  // The engine crash waits for its moment in a swap, so a held release never sees it.
  const engineCrash = guarded(runEngineCrash(plan, stack.fleetUrl, CHAOS_VERSION, clock, faults), 0);
  const ending = await watchRelease(
    stack.client,
    handle,
    {
      deadline: Date.now() + options.timeout,
      heldGraceMs: options.heldGrace,
      faultsOver: timed,
      signal: ended.signal,
    },
    faults,
  );
  const releaseMs = Date.now() - releaseStartedAt;
  ended.abort();
  signal?.removeEventListener('abort', stopRun);
  const [[, serverKills, outages], engineCrashes] = await Promise.all([timed, engineCrash]);
  if (runnerError) throw runnerError;
  if (signal?.aborted) throw new Error('stopped before the release ended');

  load.stop();
  const loadReport = await load.done;
  const targetVersion = ending.result?.targetVersion ?? CHAOS_VERSION;
  const fleetFacts = await readFleetFacts(stack.fleetUrl, targetVersion, 30_000);
  const swapFacts = await readSwapFacts(stack.client, releaseId, 15_000);
  const injected: FaultCounts = {
    workerKills: workers.kills,
    serverKills,
    fleetOutages: outages.outages,
    engineCrashes,
  };
  return {
    seed,
    releaseId,
    targetVersion,
    completed: ending.completed,
    releaseStage: ending.stage,
    accounts: fleetFacts.accountIds.length,
    accountIds: fleetFacts.accountIds,
    accountsOnTarget: fleetFacts.accountsOnTarget,
    offTarget: fleetFacts.offTarget,
    promotedPerAccount: swapFacts.promotedPerAccount,
    swapsStillRunning: swapFacts.stillRunning,
    strayInstances: fleetFacts.strayInstances,
    requests: loadReport.requests,
    failedRequests: loadReport.failed,
    failuresByCause: loadReport.failuresByCause,
    outcomes: outcomesOf(ending),
    openIssues: (ending.result ?? ending.lastStatus)?.openIssues.map((issue) => issue.summary) ?? [],
    loadAccount: plan.loadAccount,
    engineCrashAccount: plan.engineCrashAccount ?? null,
    planned: plannedCounts(plan),
    injected,
    workerExits: workers.unexpectedExits,
    fleetOutageMs: outages.outageMs,
    stageLengthMs: options.stageLength,
    releaseMs,
  };
}

/** The worker's environment: this one's, minus any other Temporal connection, plus the chaos stack's. */
function workerEnv(stack: ChaosStack, options: ChaosOptions): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
  return {
    ...inherited,
    TEMPORAL_ADDRESS: stack.address,
    TEMPORAL_NAMESPACE: stack.namespace,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    FLEET_URL: stack.proxy.url,
    LOG_LEVEL: options.logLevel,
    CHAOS_WORKFLOW_BUNDLE: stack.workflowBundlePath,
  };
}

function plannedCounts(plan: FaultPlan): FaultCounts {
  return {
    workerKills: plan.workerUptimesMs.length,
    serverKills: plan.serverKills.length,
    fleetOutages: plan.outages.length,
    engineCrashes: plan.engineCrashAccount ? 1 : 0,
  };
}

/** Each account's outcome in the release, with the reason when it is not `promoted`. */
function outcomesOf(ending: ReleaseEnding): Record<string, string> {
  const status = ending.result ?? ending.lastStatus;
  const outcomes: Record<string, string> = {};
  for (const [accountId, account] of Object.entries(status?.accounts ?? {})) {
    const outcome = account.outcome ?? account.state;
    outcomes[accountId] = outcome === 'promoted' || !account.reason ? outcome : `${outcome}: ${account.reason}`;
  }
  return outcomes;
}
