/**
 * Scale bench for `stagedRelease`: one release over many accounts (default 5,000) on a fresh dev
 * server, printing JSON with the largest history of every release run (continue-as-new included)
 * and of a sample of account swaps, the number of runs, and the total time; besides,
 * `swapsPerSecond` (swaps over the release's whole time, bakes included) and
 * `waveTwoSwapsPerSecond` (wave 2 alone), `continueAsNewBytes` (the largest carried argument),
 * `statusQueryBytes` and `statusQueryP99Ms` (the `status` query asked every second during the
 * run), `slowestReleaseWorkflowTaskMs`, and `swapTimeP50Ms`: where a sampled swap's time went
 * (first event to last; its workflow tasks waiting to be picked up, and running).
 *
 *   npx tsx bench/release-scale.ts [--accounts 5000] [--child stub|real] [--sample 50] [--worker default|tuned]
 *
 * --child stub (default): the release's children are the scripted stand-in swap from
 *   test/fixtures/release (each takes 200 ms), and the account registry is a mocked activity:
 *   this measures the release workflow itself.
 * --child real: the real blue-green swap against the fleet daemon in lightweight mode (in-process
 *   instances), with a fast strategy. Much heavier; use fewer accounts on a small machine.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import type { Client } from '@temporalio/client';
import { releases, swaps, type ReleaseHandle } from '../src/client';
import { createLogger } from '../src/logging/logger';
import { releaseWorkflowId, type StagedReleaseInput } from '../src/domain/release/input';
import { deploymentWorkflowId } from '../src/domain/deployment/swap';
import type { ReleaseResultView } from '../src/domain/release/view';
import { freePort } from '../test/harness/ports';
import { startDevServer, startTestWorker, type TestWorker } from '../test/harness/temporal';
import { fakeRegistry, mockReleaseActivities } from '../test/fixtures/release/accounts';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '5000' },
    child: { type: 'string', default: 'stub' },
    sample: { type: 'string', default: '50' },
    worker: { type: 'string', default: 'default' },
    'workflow-tasks': { type: 'string' },
  },
});
/**
 * --worker default: the SDK's pollers (a fixed few per task queue); tuned: pollers that scale
 * with the backlog, and more workflow tasks at once (a swap is a dozen activity and workflow task
 * round trips, so with hundreds of swaps in flight the pollers, not the CPU, can set the pace).
 */
const TUNED_WORKER = {
  workflowTaskPollerBehavior: { type: 'autoscaling', maximum: 40 },
  activityTaskPollerBehavior: { type: 'autoscaling', maximum: 40 },
  maxConcurrentWorkflowTaskExecutions: 80,
} as const;
function parseWorkflowTasks(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const parsed = z.coerce.number().int().min(1).max(1000).safeParse(given);
  if (parsed.success) return parsed.data;
  console.error(
    `--workflow-tasks ${JSON.stringify(given)}: give a whole number from 1 to 1000 (the SDK's default is 40)`,
  );
  process.exit(2);
}
const workerKind = args.worker === 'tuned' ? 'tuned' : 'default';
const workflowTasks = parseWorkflowTasks(args['workflow-tasks']);
const workerTuning = {
  ...(workerKind === 'tuned' ? TUNED_WORKER : {}),
  ...(workflowTasks === undefined ? {} : { maxConcurrentWorkflowTaskExecutions: workflowTasks }),
};
const accountCount = Number(args.accounts);
const earlyCount = Math.max(1, Math.round(accountCount / 50));
const useRealChild = args.child === 'real';

/** What the `status` queries made every second during the run measured. */
interface StatusSamples {
  latenciesMs: number[];
  /** Each answered query: when it was asked (seconds into the run), how long it took, what the release was doing. */
  answered: Array<{ atS: number; ms: number; stage: string; swapsDone: number }>;
  largestBytes: number;
  failed: number;
  /** When each failed query was asked (seconds into the run). */
  failedAtS: number[];
  /** Swaps approved by the bench (see approveWaitingSwaps). */
  approved: string[];
}

/**
 * On a loaded machine a canary's blue side may not answer enough samples: the check is then
 * inconclusive and the swap waits for on-call, which a bench has not. When nothing finished for
 * a while, the bench approves such swaps, as on-call would, and reports each one.
 */
async function approveWaitingSwaps(client: Client, handle: ReleaseHandle, samples: StatusSamples): Promise<void> {
  const { releaseId } = await releases.status(handle);
  for await (const account of releases.eachAccount(handle, { state: 'deploying' })) {
    const swap = swaps.getHandle(client, { accountId: account.accountId, version: account.attempted!, releaseId });
    const status = await swaps.status(swap).catch(() => undefined);
    if (!status?.awaitingApproval) continue;
    const why = status.checks.filter((check) => check.verdict === 'inconclusive').map((check) => check.summary);
    await swaps.update.approve(swap, { by: 'bench', reason: 'the bench approves inconclusive checks' });
    samples.approved.push(`${account.accountId}: ${why.join('; ')}`);
  }
}

/**
 * Waits for the result, querying `status` every second meanwhile (each query's time and size
 * recorded). A release that holds waits for on-call forever: a bench must say so instead of hanging.
 */
async function resultUnlessHeld(
  client: Client,
  handle: ReleaseHandle,
  samples: StatusSamples,
): Promise<ReleaseResultView> {
  let finished = false;
  const result = handle.result().finally(() => (finished = true));
  let done = -1;
  let progressAt = Date.now();
  const runStartedAt = Date.now();
  while (!finished) {
    const asked = Date.now();
    // A query that has not answered in 30 s counts as 30 s (and failed): the next one goes out.
    const status = await client
      .withDeadline(asked + QUERY_DEADLINE_MS, () => releases.status(handle))
      .catch(() => undefined);
    const tookMs = Date.now() - asked;
    if (status) {
      samples.latenciesMs.push(tookMs);
      const nowDone = status.waves.wave1.done + status.waves.wave2.done;
      const atS = Math.round((asked - runStartedAt) / 100) / 10;
      samples.answered.push({ atS, ms: tookMs, stage: status.stage, swapsDone: nowDone });
      if (nowDone !== done) [done, progressAt] = [nowDone, Date.now()];
      else if (Date.now() - progressAt > 20_000) {
        await approveWaitingSwaps(client, handle, samples).catch((error) => console.error('approving:', error));
        progressAt = Date.now();
      }
      samples.largestBytes = Math.max(samples.largestBytes, Buffer.byteLength(JSON.stringify(status)));
    } else if (!finished) {
      samples.failed++;
      samples.failedAtS.push(Math.round((asked - runStartedAt) / 100) / 10);
      samples.latenciesMs.push(tookMs);
    }
    if (status?.stage === 'held') {
      throw new Error(`the release is held, waiting for on-call: ${status.holdReason ?? ''}`.slice(0, 2000));
    }
    const wait = Math.max(0, 1000 - (Date.now() - asked));
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, wait))]);
  }
  return result;
}

const QUERY_DEADLINE_MS = 30_000;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface RunHistory {
  runId: string;
  events: number;
  bytes: number;
  /** Longest workflow task (started → completed): how long the worker spent on one batch of events. */
  slowestTaskMs: number;
  workflowTaskTimeouts: number;
  /** Bytes of the argument this run continued as new with (0 when it did not). */
  continueAsNewBytes: number;
  /** Where the run's time went: first event to last, workflow tasks queued (scheduled → started) and running. */
  time: { totalMs: number; taskQueuedMs: number; taskRunningMs: number };
  /** Epoch ms of the run's first and last event, and of its first and last child start (undefined: none). */
  at: { first: number; last: number; firstChild?: number; lastChild?: number };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const cleanups: Array<() => Promise<void>> = [];
  // Ctrl-C mid-run still stops the dev server, the fleet and the worker this bench started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${signal}: stopping what the bench started`);
      void (async () => {
        for (const cleanup of cleanups) await cleanup().catch((error) => console.error('cleanup failed:', error));
        process.exit(130);
      })();
    });
  }
  try {
    const metricsPort = await freePort();
    const env = await startDevServer({ extraArgs: ['--metrics-port', String(metricsPort)] });
    cleanups.unshift(() => env.teardown());
    const ids = Array.from({ length: accountCount }, (_, i) => `acct-${String(i).padStart(5, '0')}`);
    const worker = await startWorker(env, ids, cleanups);
    const releaseId = `bench-${Date.now()}`;
    const workflowId = releaseWorkflowId(releaseId);
    const input: StagedReleaseInput = {
      releaseId,
      version: '2026.47.0',
      schedule: { stageLength: '5 seconds' },
      strategy: useRealChild
        ? {
            concurrency: { wave1: 50, wave2: 200 },
            failureBudget: { wave1: 5, wave2: 50 },
            smokeRequests: 1,
            canary: { sampleSize: 4 },
            // This bench measures the release at scale, not tail latency: 250 concurrent swaps on 2
            // cores make single probes slow, and a watch of a few probes judges p99 by its slowest.
            watch: { duration: '1 second', probesPerSecond: 4, maxP99Ms: 5000 },
            keepBlueWarm: 0,
          }
        : { concurrency: { wave1: 100, wave2: 300 }, keepBlueWarm: 200 },
    };
    const started = Date.now();
    const handle = await releases.start(env.client, input, { taskQueue: worker.taskQueue });
    const samples: StatusSamples = {
      latenciesMs: [],
      answered: [],
      largestBytes: 0,
      failed: 0,
      failedAtS: [],
      approved: [],
    };
    const result = await resultUnlessHeld(env.client, handle, samples);
    const serverRequests = await workerRequests(metricsPort);
    const releaseMs = Date.now() - started;
    const swapsDone = Object.values(result.waves).reduce((sum, counts) => sum + counts.done, 0);
    // Wave 2's own pace: from its stage to the end (no bake in it).
    const waveTwoAt = result.timeline.filter((entry) => entry.event === 'stage wave-2').at(-1)?.at;
    const waveTwoMs = waveTwoAt && result.finishedAt ? Date.parse(result.finishedAt) - Date.parse(waveTwoAt) : 0;

    const runs: RunHistory[] = [];
    for await (const execution of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      runs.push(await historyOf(env, workflowId, execution.runId));
    }
    const handedOver = handovers(runs, started);
    runs.sort((a, b) => b.events - a.events);
    const sampleIds = ids
      .filter((_, i) => i % Math.max(1, Math.floor(ids.length / Number(args.sample))) === 0)
      .slice(0, Number(args.sample));
    const children: RunHistory[] = [];
    for (const id of sampleIds) children.push(await historyOf(env, deploymentWorkflowId(id, input.version, releaseId)));
    const largestChild = children.reduce((max, h) => (h.events > max.events ? h : max), children[0]);
    const queryBytes = Math.max(samples.largestBytes, Buffer.byteLength(JSON.stringify(await releases.status(handle))));

    console.log(
      JSON.stringify(
        {
          accounts: accountCount,
          wave1: earlyCount,
          child: useRealChild ? 'real blue-green on lightweight fleet' : 'stub swap (test/fixtures/release)',
          worker: workerKind,
          workflowTasks: workflowTasks ?? 'default',
          stage: result.stage,
          promoted: result.waves.wave1.promoted + result.waves.wave2.promoted,
          releaseRuns: runs.length,
          largestReleaseRunHistory: { events: runs[0].events, bytes: runs[0].bytes },
          releaseRunHistories: runs.map((r) => r.events),
          slowestReleaseWorkflowTaskMs: Math.max(...runs.map((r) => r.slowestTaskMs)),
          continueAsNewBytes: Math.max(0, ...runs.map((r) => r.continueAsNewBytes)),
          releaseWorkflowTaskTimeouts: runs.reduce((sum, r) => sum + r.workflowTaskTimeouts, 0),
          continueAsNewHandovers: {
            count: handedOver.length,
            drainMs: handedOver.reduce((sum, h) => sum + h.drainMs, 0),
            startMs: handedOver.reduce((sum, h) => sum + h.startMs, 0),
            each: handedOver,
          },
          largestAccountSwapHistory: {
            events: largestChild.events,
            bytes: largestChild.bytes,
            sampled: children.length,
          },
          // Median over the sampled swaps: where a swap's time goes (its workflow tasks run its quick
          // fleet calls as local activities, so their time is in taskRunningMs).
          swapTimeP50Ms: {
            total: medianOf(children, (c) => c.time.totalMs),
            taskQueued: medianOf(children, (c) => c.time.taskQueuedMs),
            taskRunning: medianOf(children, (c) => c.time.taskRunningMs),
          },
          statusQueryBytes: queryBytes,
          statusQueries: samples.latenciesMs.length,
          statusQueriesFailed: samples.failed,
          statusQueriesFailedAtS: samples.failedAtS,
          statusQueryP50Ms: percentile(samples.latenciesMs, 50),
          statusQueryP99Ms: percentile(samples.latenciesMs, 99),
          statusQueryMaxMs: Math.max(0, ...samples.latenciesMs),
          statusQuerySlowest: [...samples.answered].sort((a, b) => b.ms - a.ms).slice(0, 5),
          approvedByBench: samples.approved,
          serverRequestsPerSwap: perSwap(serverRequests, swapsDone),
          swapsPerSecond: round(swapsDone / (releaseMs / 1000)),
          waveTwoSwapsPerSecond: waveTwoMs ? round(result.waves.wave2.done / (waveTwoMs / 1000)) : null,
          releaseMs,
          totalMs: Date.now() - t0,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => console.error('cleanup failed:', error));
  }
}

async function startWorker(
  env: TestWorkflowEnvironment,
  ids: string[],
  cleanups: Array<() => Promise<void>>,
): Promise<TestWorker> {
  const registry = fakeRegistry(ids.slice(0, earlyCount), ids.slice(earlyCount));
  let worker: TestWorker;
  if (useRealChild) {
    const { startTestFleet } = await import('../test/harness/fleet');
    const fleet = await startTestFleet({
      mode: 'lightweight',
      initMs: 20,
      accounts: registry.map(({ accountId, earlyAccess }) => ({
        accountId,
        earlyAccess,
        useCases: ['fraud-score'],
        instanceCount: 1,
        currentVersion: '2026.46.0',
      })),
    });
    cleanups.unshift(() => fleet.stop());
    worker = await startTestWorker(env, {
      activities: createActivities({ fleet: fleet.provider, logger: createLogger('warn', 'bench') }),
      maxConcurrentActivityTaskExecutions: 400,
      maxCachedWorkflows: 1000,
      ...workerTuning,
    });
  } else {
    worker = await startTestWorker(env, {
      workflowsPath: path.join(__dirname, '..', 'test', 'fixtures', 'release', 'workflows.ts'),
      activities: mockReleaseActivities(registry),
      maxCachedWorkflows: 1000,
      ...workerTuning,
    });
  }
  cleanups.unshift(() => worker.stop());
  return worker;
}

async function historyOf(env: TestWorkflowEnvironment, workflowId: string, runId?: string): Promise<RunHistory> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  // temporal.api.enums.v1.EventType
  const EventType = {
    EVENT_TYPE_WORKFLOW_TASK_SCHEDULED: 5,
    EVENT_TYPE_WORKFLOW_TASK_STARTED: 6,
    EVENT_TYPE_WORKFLOW_TASK_COMPLETED: 7,
    EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: 8,
    EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: 29,
  };
  let slowestTaskMs = 0;
  let workflowTaskTimeouts = 0;
  let continueAsNewBytes = 0;
  let startedAt: number | undefined;
  let scheduledAt: number | undefined;
  const time = { totalMs: 0, taskQueuedMs: 0, taskRunningMs: 0 };
  const timeOf = (event: (typeof events)[number]) =>
    Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
  const span: RunHistory['at'] = events.length
    ? { first: timeOf(events[0]), last: timeOf(events[events.length - 1]) }
    : { first: 0, last: 0 };
  time.totalMs = span.last - span.first;
  for (const event of events) {
    const at = timeOf(event);
    if (event.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
      span.firstChild ??= at;
      span.lastChild = at;
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) scheduledAt = at;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      startedAt = at;
      if (scheduledAt !== undefined) time.taskQueuedMs += at - scheduledAt;
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && startedAt !== undefined) {
      slowestTaskMs = Math.max(slowestTaskMs, at - startedAt);
      time.taskRunningMs += at - startedAt;
    }
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) workflowTaskTimeouts++;
    const carried = event.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads ?? [];
    for (const payload of carried) continueAsNewBytes += payload.data?.length ?? 0;
  }
  const described = await env.client.workflowService.describeWorkflowExecution({
    namespace: env.namespace ?? 'default',
    execution: { workflowId, runId },
  });
  const bytes = Number(described.workflowExecutionInfo?.historySizeBytes ?? 0);
  return {
    runId: runId ?? '',
    events: events.length,
    bytes,
    slowestTaskMs,
    workflowTaskTimeouts,
    continueAsNewBytes,
    time,
    at: span,
  };
}

/**
 * What each continue-as-new cost: the run's drain (its last swap started → the run closed; it
 * starts no swap while its swaps in flight finish) and the next run's start (closed → the new run
 * started its first swap).
 */
function handovers(
  runs: RunHistory[],
  releaseStartedAt: number,
): Array<{ run: number; atS: number; drainMs: number; startMs: number }> {
  const inOrder = [...runs].sort((a, b) => a.at.first - b.at.first);
  return inOrder.slice(0, -1).map((run, i) => ({
    run: i + 1,
    // When the run ended, in seconds into the release (as statusQuerySlowest's atS).
    atS: Math.round((run.at.last - releaseStartedAt) / 100) / 10,
    drainMs: run.at.lastChild === undefined ? 0 : run.at.last - run.at.lastChild,
    startMs: (inOrder[i + 1].at.firstChild ?? inOrder[i + 1].at.first) - run.at.last,
  }));
}

/**
 * The requests the worker (and the bench's queries and client) made of the dev server's frontend
 * so far, by operation, from its Prometheus endpoint: what the server is asked per swap.
 */
async function workerRequests(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^service_requests\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || !match[1].includes('service_name="frontend"')) continue;
    const operation = /operation="([^"]+)"/.exec(match[1])?.[1];
    if (operation) counts[operation] = (counts[operation] ?? 0) + Number(match[2]);
  }
  return counts;
}

function perSwap(counts: Record<string, number>, swaps: number): Record<string, number> {
  const busiest = Object.entries(counts)
    .filter(([, count]) => count >= swaps / 10)
    .sort(([, a], [, b]) => b - a);
  return Object.fromEntries(busiest.map(([operation, count]) => [operation, round(count / Math.max(1, swaps))]));
}

const round = (value: number) => Math.round(value * 100) / 100;
const medianOf = <T>(items: T[], pick: (item: T) => number) => percentile(items.map(pick), 50);

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
