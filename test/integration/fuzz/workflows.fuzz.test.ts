/**
 * No input may cause a workflow task failure, proved by property-based fuzzing against the real
 * workflows: a dev server, a worker running the real bundle and the real activities over the
 * in-memory fake fleet. Inputs of `stagedRelease` (with and without a second, carried argument)
 * and of `blueGreenDeployment`, and every message of both, as a signal and as an update: any JSON,
 * and valid values with a field or two changed (inputs.ts). After each run the history must hold
 * no workflow task failure, and a run that ended must have ended cleanly (completed, or
 * InvalidInput for bad input); every update must be answered.
 *
 * `FUZZ_RUNS=200 npx jest test/integration/fuzz` runs more; a failure names its seed
 * (`FUZZ_SEED=<seed>` replays it, `FUZZ_SHRINK=1` also shrinks it).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { createActivities } from '../../../src/activities';
import { swaps, type SwapHandle } from '../../../src/client';
import { createLogger } from '../../../src/logging/logger';
import type { AccountInfo } from '../../../src/platform/provider';
import { blueGreenDeployment } from '../../../src/workflows/deployment';
import { stagedRelease } from '../../../src/workflows/release';
import { startDevServer, startTestWorker, type TestWorker } from '../../harness/temporal';
import { sleep, waitFor } from '../../harness/wait';
import { FakeFleet } from '../../support/fake-fleet';
import { fuzzParameters, fuzzRuns, inputLike, pathsOf, type Alternatives, type Json } from '../../support/fuzz';
import {
  expectCleanRun,
  RELEASE_MESSAGE_DEFINITIONS,
  sendMessage,
  settle,
  SWAP_MESSAGE_DEFINITIONS,
  Tally,
  type Delivery,
  type MessageDefinition,
  type RunEnd,
} from '../../support/fuzz-runs';
import {
  carriedAlternatives,
  FAST_STRATEGY,
  isoIn,
  RELEASE_ALTERNATIVES,
  RELEASE_MESSAGE_ALTERNATIVES,
  SWAP_ALTERNATIVES,
  SWAP_MESSAGE_ALTERNATIVES,
  VALID_RELEASE,
  VALID_RELEASE_MESSAGES,
  VALID_SWAP,
  VALID_SWAP_MESSAGES,
  validCarried,
} from './inputs';

const account = (accountId: string, earlyAccess = false, extra: Partial<AccountInfo> = {}): AccountInfo => ({
  accountId,
  earlyAccess,
  useCases: ['fraud-score'],
  instanceCount: 1,
  ...extra,
});
const fleet = new FakeFleet()
  .addVersion('1.0')
  .addVersion('2.0')
  .addVersion('2.1')
  .addVersion('1.0-flaky', { errorsInPool: true })
  .addAccount(account('fz-early', true), '1.0')
  .addAccount(account('fz-late'), '1.0')
  .addAccount(account('fz-swap'), '1.0')
  .addAccount(
    account('fz-major', false, { maintenanceWindow: { start: isoIn(-60_000), end: isoIn(86_400_000) } }),
    '1.0',
  );

/** How long a run may take to settle before it is checked as it stands. */
const SETTLE_MS = 6_000;

let env: TestWorkflowEnvironment;
let worker: TestWorker;
let runs = 0;

beforeAll(async () => {
  env = await startDevServer();
  worker = await startTestWorker(env, { activities: createActivities({ fleet, logger: createLogger('silent') }) });
});

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
});

/** A test's time: its runs, each settling for a few seconds, on a shared 2-core machine. */
const budget = (defaultRuns: number, perRunMs: number) => 60_000 + fuzzRuns(defaultRuns) * perRunMs;

/** One line per test: how many runs with which seed, and how they went. */
function report(params: { numRuns: number; seed: number }, tally: Tally<string>): void {
  const name = expect.getState().currentTestName;
  console.info(`${name}: ${params.numRuns} runs, seed ${params.seed}, ${JSON.stringify(tally.counts)}`);
}

/**
 * A fuzz test must reach both sides: inputs refused, and inputs taken in and run (a test whose
 * every input is refused at the door proves nothing about the code behind it). Checked on runs
 * of the default size or larger.
 */
function expectBothSides(refused: number, taken: number, defaultRuns: number): void {
  if (fuzzRuns(defaultRuns) < defaultRuns) return;
  expect({ refused: refused > 0, taken: taken > 0 }).toEqual({ refused: true, taken: true });
}

// ---- inputs

const releaseInput = inputLike(VALID_RELEASE, pathsOf(VALID_RELEASE), RELEASE_ALTERNATIVES);
/** Mostly none; else any JSON or a near-valid carried status (valid statuses are made when generated, at "now"). */
const carriedArgument = fc.option(
  fc.constant(null).chain(() => {
    const carried = validCarried();
    return inputLike(carried, pathsOf(carried), carriedAlternatives());
  }),
  { nil: undefined, freq: 2 },
);

test(
  'stagedRelease: no input and no carried argument causes a workflow task failure',
  async () => {
    const ends = new Tally<RunEnd>();
    const params = fuzzParameters(30);
    await fc.assert(
      fc.asyncProperty(releaseInput, carriedArgument, async (input, carried) => {
        const args = (carried === undefined ? [input] : [input, carried]) as unknown as Parameters<
          typeof stagedRelease
        >;
        const handle = await env.client.workflow.start(stagedRelease, {
          taskQueue: worker.taskQueue,
          workflowId: `fuzz-release-${++runs}`,
          args,
        });
        ends.add(expectCleanRun(await settle(handle, SETTLE_MS), { invalidInputAllowed: true }));
      }),
      // One input surely taken and one surely refused, whatever the seed draws.
      {
        ...params,
        examples: [
          [{ ...VALID_RELEASE, releaseId: 'fz-valid' }, undefined],
          [{ ...VALID_RELEASE, releaseId: 'fz-bad', schedule: { stageLength: '100000000 days' } }, undefined],
        ],
      },
    );
    report(params, ends);
    expectBothSides(ends.of('invalid-input'), ends.of('running', 'completed'), 30);
  },
  budget(30, 12_000),
);

test(
  'blueGreenDeployment: no input causes a workflow task failure',
  async () => {
    const ends = new Tally<RunEnd>();
    const params = fuzzParameters(30);
    await fc.assert(
      fc.asyncProperty(inputLike(VALID_SWAP, pathsOf(VALID_SWAP), SWAP_ALTERNATIVES), async (input) => {
        const handle = await env.client.workflow.start(blueGreenDeployment, {
          taskQueue: worker.taskQueue,
          workflowId: `fuzz-swap-${++runs}`,
          args: [input as Parameters<typeof blueGreenDeployment>[0]],
        });
        ends.add(expectCleanRun(await settle(handle, SETTLE_MS), { invalidInputAllowed: true }));
      }),
      // One input surely taken and one surely refused, whatever the seed draws.
      { ...params, examples: [[VALID_SWAP], [{ ...VALID_SWAP, strategy: { watch: { duration: '1 ms' } } }]] },
    );
    report(params, ends);
    expectBothSides(ends.of('invalid-input'), ends.of('running', 'completed'), 30);
  },
  budget(30, 12_000),
);

// ---- messages, each as a signal and as an update

/** One message to send: which, how, with what, and how long to wait before the next. */
function messageStep<N extends string>(valid: Record<N, Json>, alternatives: Alternatives) {
  const names = Object.keys(valid) as N[];
  return fc.constantFrom(...names).chain((name) =>
    fc.record({
      name: fc.constant(name),
      via: fc.constantFrom('signal' as const, 'update' as const),
      payload: inputLike(valid[name], pathsOf(valid[name]), alternatives),
      pauseMs: fc.constantFrom(0, 0, 50, 300),
    }),
  );
}

type Step<N extends string> = { name: N; via: 'signal' | 'update'; payload: Json; pauseMs: number };

/** The valid payload of one message, sent as an update. */
function validStep<N extends string>(valid: Record<N, Json>, name: N): Step<N> {
  return { name, via: 'update', payload: valid[name], pauseMs: 0 };
}

async function sendAll<N extends string>(
  handle: Parameters<typeof sendMessage>[0],
  definitions: Record<N, MessageDefinition>,
  steps: Array<Step<N>>,
  deliveries: Tally<Delivery>,
): Promise<void> {
  for (const { name, via, payload, pauseMs } of steps) {
    deliveries.add(await sendMessage(handle, definitions[name], via, payload));
    if (pauseMs) await sleep(pauseMs);
  }
}

test(
  'stagedRelease: no message payload, as signal or update, causes a workflow task failure',
  async () => {
    const deliveries = new Tally<Delivery>();
    const params = fuzzParameters(12);
    const scenario = fc.record({
      // Day 1 now (messages meet wave 1 and the bake) or in an hour (they meet a scheduled release).
      startAt: fc.constantFrom('now', 'later'),
      steps: fc.array(messageStep(VALID_RELEASE_MESSAGES, RELEASE_MESSAGE_ALTERNATIVES), {
        minLength: 1,
        maxLength: 5,
      }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ startAt, steps }) => {
        const n = ++runs;
        const schedule = { stageLength: '1 hour', ...(startAt === 'later' ? { startAt: isoIn(3_600_000) } : {}) };
        const handle = await env.client.workflow.start(stagedRelease, {
          taskQueue: worker.taskQueue,
          workflowId: `fuzz-release-messages-${n}`,
          args: [{ ...VALID_RELEASE, releaseId: `fz-messages-${n}`, schedule }],
        });
        await sendAll(handle, RELEASE_MESSAGE_DEFINITIONS, steps, deliveries);
        expectCleanRun(await settle(handle, SETTLE_MS), { invalidInputAllowed: false });
      }),
      // One run the release surely takes, so the check of both sides below never hangs on luck.
      { ...params, examples: [[{ startAt: 'now', steps: [validStep(VALID_RELEASE_MESSAGES, 'pause')] }]] },
    );
    report(params, deliveries);
    expectBothSides(deliveries.of('update-refused'), deliveries.of('update-done'), 12);
  },
  budget(12, 15_000),
);

test(
  'blueGreenDeployment: no message payload, as signal or update, causes a workflow task failure',
  async () => {
    const deliveries = new Tally<Delivery>();
    const params = fuzzParameters(12);
    const scenario = fc.record({
      // Right away (the swap is validating) or once it waits for on-call (its blue errors: the canary is inconclusive).
      when: fc.constantFrom('at-start', 'awaiting-approval'),
      steps: fc.array(messageStep(VALID_SWAP_MESSAGES, SWAP_MESSAGE_ALTERNATIVES), { minLength: 1, maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ when, steps }) => {
        const n = ++runs;
        const accountId = `fz-flaky-${n}`;
        fleet.addAccount(account(accountId), '1.0-flaky');
        const handle = await swaps.start(
          env.client,
          { accountId, version: '2.0', strategy: FAST_STRATEGY },
          { taskQueue: worker.taskQueue, workflowId: `fuzz-swap-messages-${n}` },
        );
        if (when === 'awaiting-approval') await awaitingApproval(handle);
        await sendAll(handle, SWAP_MESSAGE_DEFINITIONS, steps, deliveries);
        expectCleanRun(await settle(handle, SETTLE_MS), { invalidInputAllowed: false });
      }),
      // One run the swap surely takes (an approve while it waits for one), whatever the seed draws.
      { ...params, examples: [[{ when: 'awaiting-approval', steps: [validStep(VALID_SWAP_MESSAGES, 'approve')] }]] },
    );
    report(params, deliveries);
    expectBothSides(deliveries.of('update-refused'), deliveries.of('update-done'), 12);
  },
  budget(12, 15_000),
);

/** Until the swap waits for on-call (or has ended). */
async function awaitingApproval(handle: SwapHandle): Promise<void> {
  await waitFor(
    'the swap to wait for on-call',
    async () => {
      const status = await swaps.status(handle).catch(() => undefined);
      return status?.awaitingApproval || status?.step === 'done' ? true : undefined;
    },
    30_000,
    100,
  );
}
