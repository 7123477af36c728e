/**
 * One dev server, one real fleet daemon (engine processes) and one worker with the real
 * activities, for a test file. Each test uses its own account so tests do not disturb each other.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../../src/activities';
import { swaps, type StartedSwap, type SwapHandle } from '../../../../src/client';
import type { BlueGreenInput, DeploymentResult } from '../../../../src/domain/deployment/swap';
import { createLogger } from '../../../../src/logging/logger';
import type { DeploymentStatus } from '../../../../src/domain/deployment/swap';
import { startTcpProxy, type TcpProxy } from '../../../../src/dev-stack/tcp-proxy';
import { DaemonFleetProvider } from '../../../../src/platform/daemon-client';
import type { FleetProvider } from '../../../../src/platform/provider';
import {
  startTestFleet,
  TEST_VERSIONS,
  type AccountSeedInput,
  type TestFleet,
  type TestFleetOptions,
} from '../../../harness/fleet';
import { startDevServer, startTestWorker, type TestWorker } from '../../../harness/temporal';
import { waitFor } from '../../../harness/wait';

export { TEST_VERSIONS };

/** Short settings so a whole swap takes a few seconds; latency limit generous for a shared 2-core machine. */
export const FAST_STRATEGY = {
  readinessTimeout: '15 seconds',
  smokeRequests: 2,
  canary: { sampleSize: 40 },
  watch: { duration: '2 seconds', probesPerSecond: 10, maxP99Ms: 1500 },
  keepBlueWarm: '1 second',
  drainTimeout: '10 seconds',
  approvalTimeout: '1 minute',
} as const;

export interface DeploymentStack {
  env: TestWorkflowEnvironment;
  fleet: TestFleet;
  worker: TestWorker;
  /** Between the worker and the fleet's control plane when the stack was started with `throughProxy`. */
  proxy?: TcpProxy;
  start(input: BlueGreenInput, workflowId?: string): Promise<StartedSwap>;
  run(input: BlueGreenInput): Promise<DeploymentResult>;
  /** Polls the `status` query until `predicate` holds (or fails after timeoutMs). */
  waitForStatus(
    handle: SwapHandle,
    predicate: (status: DeploymentStatus) => boolean,
    timeoutMs?: number,
  ): Promise<DeploymentStatus>;
  /** Traffic is on `version`, and nothing runs outside the account's pool. */
  expectCleanOn(accountId: string, version: string): Promise<void>;
  stop(): Promise<void>;
}

export function account(
  accountId: string,
  currentVersion: string = TEST_VERSIONS.current,
  extra: Partial<AccountSeedInput> = {},
): AccountSeedInput {
  return { accountId, useCases: ['fraud-score', 'credit-limit'], instanceCount: 1, currentVersion, ...extra };
}

export async function startDeploymentStack(
  accounts: AccountSeedInput[],
  options: {
    taskQueue?: string;
    versions?: TestFleetOptions['versions'];
    /** The worker reaches the fleet through a TCP proxy the test can cut (`stack.proxy`). */
    throughProxy?: boolean;
    /** Wraps the provider the activities use (to act at a precise moment of a swap). */
    wrapFleet?: (provider: FleetProvider) => FleetProvider;
  } = {},
): Promise<DeploymentStack> {
  const env = await startDevServer();
  let fleet: TestFleet | undefined;
  let worker: TestWorker | undefined;
  let proxy: TcpProxy | undefined;
  try {
    fleet = await startTestFleet({ accounts, ...(options.versions ? { versions: options.versions } : {}) });
    if (options.throughProxy) {
      const { hostname, port } = new URL(fleet.url);
      proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    }
    const provider = proxy ? new DaemonFleetProvider(proxy.url, { timeoutMs: 20_000 }) : fleet.provider;
    const activities = createActivities({
      fleet: options.wrapFleet ? options.wrapFleet(provider) : provider,
      logger: createLogger(process.env.LOG_LEVEL ?? 'silent'),
    });
    worker = await startTestWorker(env, { activities, ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}) });
  } catch (error) {
    await worker?.stop();
    await proxy?.close();
    await fleet?.stop();
    await env.teardown();
    throw error;
  }
  const theFleet = fleet;
  const theWorker = worker;
  const stack: DeploymentStack = {
    env,
    fleet: theFleet,
    worker: theWorker,
    ...(proxy ? { proxy } : {}),
    start: (input, workflowId) => swaps.start(env.client, input, { taskQueue: theWorker.taskQueue, workflowId }),
    async run(input) {
      return (await stack.start(input)).result();
    },
    waitForStatus(handle, predicate, timeoutMs = 60_000) {
      return waitFor(
        'the swap status to match',
        async () => {
          const status = await swaps.status(handle);
          return predicate(status) ? status : undefined;
        },
        timeoutMs,
        100,
      );
    },
    async expectCleanOn(accountId, version) {
      const state = await theFleet.provider.accountState(accountId);
      expect({ accountId, version: state.version, maintenance: state.maintenance.enabled }).toEqual({
        accountId,
        version,
        maintenance: false,
      });
      const strays = (await theFleet.strays()).filter((i) => i.accountId === accountId);
      expect(strays).toEqual([]);
      const running = (await theFleet.provider.inventory()).filter((i) => i.accountId === accountId);
      expect(running.every((i) => i.version === version && i.inPool)).toBe(true);
    },
    async stop() {
      await theWorker.stop();
      await proxy?.close();
      try {
        await theFleet.stop({ expectNoStrays: true });
      } finally {
        await env.teardown();
      }
    },
  };
  return stack;
}
