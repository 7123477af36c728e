/**
 * What the workflow costs around a swap's work: the same account swap (2026.46.0 → 2026.47.0 on
 * the fleet's lightweight mode, fast strategy) run as the real `blueGreenDeployment` and as the
 * same sequence of activity calls with nothing around them, on one dev server in one run.
 *
 *   npx tsx bench/overhead.ts [--swaps 10] [--eager-activities]
 *
 * First `swaps` accounts are swapped one after the other by the workflow (start to result). The
 * first swap gives the sequence: every activity call it made (activity tasks and local activities
 * alike, recorded by the worker's activities as they ran, with input and result) and every timer
 * of its history, in the order they started; calls that ran at the same time form one group.
 * Then `swaps` other accounts get that sequence called directly, in-process (each activity in a
 * mock activity context), group after group; account ids, workflow ids and whatever an earlier
 * call returned (instance ids, ...) are swapped for the bare account's own. Prints JSON: swaps,
 * workflowMs, bareMs, ratio (workflowMs / bareMs), the per-swap figures and the sequence's size
 * (activity calls, how many ran as local activities, timers, workflow tasks, history events).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Context } from '@temporalio/activity';
import type { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { swaps } from '../src/client';
import { deploymentWorkflowId, type BlueGreenInput } from '../src/domain/deployment/swap';
import { createLogger } from '../src/logging/logger';
import { startTestFleet } from '../test/harness/fleet';
import { startDevServer, startTestWorker } from '../test/harness/temporal';
import { LOCAL_ACTIVITY_MARKER } from '../test/support/history';

const { values: args } = parseArgs({
  options: { swaps: { type: 'string', default: '10' }, 'eager-activities': { type: 'boolean', default: false } },
});
/**
 * --eager-activities: the server hands an activity the workflow schedules straight to the worker
 * that completed the workflow task (the SDK asks for it by default; the server's dynamic config
 * `system.enableActivityEagerExecution` allows it), saving one poll round trip per activity.
 */
const eager = args['eager-activities'] === true;
const count = Number(args.swaps);
const FROM = '2026.46.0';
const TO = '2026.47.0';
const STRATEGY: BlueGreenInput['strategy'] = {
  smokeRequests: 1,
  canary: { sampleSize: 4 },
  watch: { duration: '1 second', probesPerSecond: 4, maxP99Ms: 5000 },
  keepBlueWarm: 0,
};
const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, '0')}`;

type Step =
  | { kind: 'activity'; type: string; input: unknown[]; result: unknown; at: number; endedAt: number }
  | { kind: 'timer'; ms: number; at: number; endedAt: number };
type Table = Record<string, (...input: unknown[]) => Promise<unknown>>;

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const env = await startDevServer(
      eager ? { extraArgs: ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'] } : {},
    );
    cleanups.unshift(() => env.teardown());
    const accounts = [
      ...Array.from({ length: count }, (_, i) => id('wf', i)),
      ...Array.from({ length: count }, (_, i) => id('bare', i)),
    ];
    const fleet = await startTestFleet({
      mode: 'lightweight',
      initMs: 20,
      accounts: accounts.map((accountId) => ({
        accountId,
        earlyAccess: false,
        useCases: ['fraud-score'],
        instanceCount: 1,
        currentVersion: FROM,
      })),
    });
    cleanups.unshift(() => fleet.stop());
    const activities = createActivities({ fleet: fleet.provider, logger: createLogger('warn', 'bench') });
    const table = activities as unknown as Table;
    const firstId = deploymentWorkflowId(id('wf', 0), TO);
    const calls: Step[] = [];
    const worker = await startTestWorker(env, { activities: recording(table, firstId, calls) });
    cleanups.unshift(() => worker.stop());

    const workflowMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = Date.now();
      const handle = await swaps.start(
        env.client,
        { accountId: id('wf', i), version: TO, strategy: STRATEGY },
        { taskQueue: worker.taskQueue },
      );
      const result = await handle.result();
      workflowMs.push(Date.now() - started);
      if (result.outcome !== 'promoted') throw new Error(`${id('wf', i)}: ${result.outcome}: ${result.reason}`);
    }

    const history = await env.client.workflow.getHandle(firstId).fetchHistory();
    const events = history.events ?? [];
    const groups = groupedByTime([...calls, ...timersOf(events)]);

    const bareMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const account = id('bare', i);
      const names = new Map<string, string>([
        [firstId, deploymentWorkflowId(account, TO)],
        [id('wf', 0), account],
      ]);
      const execution = { workflowId: deploymentWorkflowId(account, TO), runId: randomUUID() };
      const started = Date.now();
      for (const group of groups) {
        await Promise.all(
          group.map(async (step) => {
            if (step.kind === 'timer') return new Promise((resolve) => setTimeout(resolve, step.ms));
            const input = renamed(step.input, names) as unknown[];
            const context = new MockActivityEnvironment({ activityType: step.type, workflowExecution: execution });
            const result = await context.run(table[step.type], ...input);
            learn(step.result, result, names);
          }),
        );
      }
      bareMs.push(Date.now() - started);
      const serving = (await fleet.provider.accountState(account)).version;
      if (serving !== TO) throw new Error(`${account}: the bare sequence left it on ${serving}`);
    }

    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const steps = groups.flat();
    console.log(
      JSON.stringify(
        {
          swaps: count,
          eagerActivities: eager,
          workflowMs: sum(workflowMs),
          bareMs: sum(bareMs),
          ratio: Math.round((sum(workflowMs) / sum(bareMs)) * 100) / 100,
          perSwapWorkflowMs: workflowMs,
          perSwapBareMs: bareMs,
          activityCalls: steps.filter((s) => s.kind === 'activity').length,
          localActivityCalls: events.filter(
            (e) => e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER,
          ).length,
          timers: steps.filter((s) => s.kind === 'timer').length,
          workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
          historyEvents: events.length,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => console.error('cleanup failed:', error));
  }
}

/** The activities, each recording the calls made for `workflowId` (input, result, when) into `calls`. */
function recording(table: Table, workflowId: string, calls: Step[]): Table {
  return Object.fromEntries(
    Object.entries(table).map(([type, fn]) => [
      type,
      async (...input: unknown[]) => {
        const at = Date.now();
        const result = await fn(...input);
        if (Context.current().info.workflowExecution?.workflowId === workflowId)
          calls.push({ kind: 'activity', type, input, result, at, endedAt: Date.now() });
        return result;
      },
    ]),
  );
}

/** The timers of a history, with when they started and fired. */
function timersOf(events: temporal.api.history.v1.IHistoryEvent[]): Step[] {
  const timeOf = (event: temporal.api.history.v1.IHistoryEvent) =>
    Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
  const started = new Map<string, Extract<Step, { kind: 'timer' }>>();
  for (const event of events) {
    const timer = event.timerStartedEventAttributes;
    if (timer?.timerId) {
      const ms = Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 + (timer.startToFireTimeout?.nanos ?? 0) / 1e6;
      started.set(timer.timerId, { kind: 'timer', ms, at: timeOf(event), endedAt: timeOf(event) + ms });
    }
    const fired = event.timerFiredEventAttributes?.timerId;
    const step = fired ? started.get(fired) : undefined;
    if (step) step.endedAt = timeOf(event);
  }
  return [...started.values()];
}

/** Steps in the order they started; a step that started before the group's last one ended joins it. */
function groupedByTime(steps: Step[]): Step[][] {
  const groups: Step[][] = [];
  let groupEnd = -Infinity;
  for (const step of [...steps].sort((a, b) => a.at - b.at)) {
    const last = groups.at(-1);
    if (last && step.at < groupEnd) {
      last.push(step);
      groupEnd = Math.max(groupEnd, step.endedAt);
    } else {
      groups.push([step]);
      groupEnd = step.endedAt;
    }
  }
  return groups;
}

/** `value` with every string the map knows replaced, and every known id inside a longer string too. */
function renamed(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const exact = names.get(value);
    if (exact !== undefined) return exact;
    let text = value;
    for (const [from, to] of names) if (from.length >= 6) text = text.split(from).join(to);
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => renamed(item, names));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renamed(item, names)]));
  return value;
}

/** Learns what the bare call returned where the recorded one returned something else (ids the fleet made). */
function learn(recorded: unknown, bare: unknown, names: Map<string, string>): void {
  if (typeof recorded === 'string' && typeof bare === 'string') {
    if (recorded !== bare && !names.has(recorded)) names.set(recorded, bare);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(bare)) {
    recorded.forEach((item, i) => learn(item, bare[i], names));
    return;
  }
  if (recorded && bare && typeof recorded === 'object' && typeof bare === 'object')
    for (const [key, item] of Object.entries(recorded)) learn(item, (bare as Record<string, unknown>)[key], names);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
