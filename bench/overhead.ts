/**
 * What the workflow costs around a swap's work: the same account swap (2026.46.0 → 2026.47.0 on
 * the fleet's lightweight mode, fast strategy) run as the real `blueGreenDeployment` and as the
 * same sequence of activity calls with nothing around them, on one dev server in one run.
 *
 *   npx tsx bench/overhead.ts [--swaps 10] [--eager-activities]
 *
 * First `swaps` accounts are swapped one after the other by the workflow (start to result). The
 * first swap's history gives the sequence: every activity it scheduled with its recorded input
 * and result, and every timer, grouped by the workflow task that scheduled them. Then `swaps`
 * other accounts get that sequence called directly, in-process (each activity in a mock activity
 * context): the calls of one workflow task run together, as the workflow ran them; account ids,
 * workflow ids and whatever an earlier call returned (instance ids, ...) are swapped for the
 * bare account's own. Prints JSON: swaps, workflowMs, bareMs, ratio (workflowMs / bareMs), the
 * per-swap figures and the sequence's size.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { swaps } from '../src/client';
import { deploymentWorkflowId, type BlueGreenInput } from '../src/domain/deployment/swap';
import { createLogger } from '../src/logging/logger';
import { startTestFleet } from '../test/harness/fleet';
import { startDevServer, startTestWorker } from '../test/harness/temporal';

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

type Step = { kind: 'activity'; type: string; input: unknown[]; result: unknown } | { kind: 'timer'; ms: number };

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
    const worker = await startTestWorker(env, { activities });
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

    const firstId = deploymentWorkflowId(id('wf', 0), TO);
    const history = await env.client.workflow.getHandle(firstId).fetchHistory();
    const groups = sequenceOf(history.events ?? []);

    const bareMs: number[] = [];
    const table = activities as unknown as Record<string, (...input: unknown[]) => Promise<unknown>>;
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
          timers: steps.filter((s) => s.kind === 'timer').length,
          workflowTasksWithCalls: groups.length,
          historyEvents: history.events?.length ?? 0,
        },
        null,
        2,
      ),
    );
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error) => console.error('cleanup failed:', error));
  }
}

/** The activities and timers of a swap's history, grouped by the workflow task that scheduled them. */
function sequenceOf(events: temporal.api.history.v1.IHistoryEvent[]): Step[][] {
  const decode = (payloads?: Payload[] | null) => (payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p));
  const groups = new Map<string, Step[]>();
  const scheduled = new Map<string, Extract<Step, { kind: 'activity' }>>();
  for (const event of events) {
    const add = (task: unknown, step: Step) => {
      const key = String(task);
      groups.set(key, [...(groups.get(key) ?? []), step]);
    };
    const activity = event.activityTaskScheduledEventAttributes;
    if (activity) {
      const step = {
        kind: 'activity' as const,
        type: activity.activityType?.name ?? '',
        input: decode(activity.input?.payloads as Payload[]),
        result: undefined as unknown,
      };
      scheduled.set(String(event.eventId), step);
      add(activity.workflowTaskCompletedEventId, step);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const step = scheduled.get(String(completed.scheduledEventId));
      if (step) step.result = decode(completed.result?.payloads as Payload[])[0];
    }
    const timer = event.timerStartedEventAttributes;
    if (timer) {
      const ms = Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 + (timer.startToFireTimeout?.nanos ?? 0) / 1e6;
      add(timer.workflowTaskCompletedEventId, { kind: 'timer', ms });
    }
  }
  return [...groups.values()];
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
