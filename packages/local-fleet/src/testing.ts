/**
 * A real fleet daemon for tests: `startLocalTestFleet()` starts one in this process on a free
 * loopback port, with real engine processes (or in-process instances in lightweight mode) and
 * routers, boots its accounts, and hands back a client for it.
 *
 *   const fleet = await startLocalTestFleet();            // 2 accounts × 1 instance at 2026.46.0
 *   afterAll(() => fleet.stop({ expectNoStrays: true }));
 *
 * Options (all optional):
 * - `mode`: 'process' (default; every instance an OS process) or 'lightweight' (in-process, cheap).
 * - `seed`: a whole seed ({ versions, accounts }); replaces the default test seed.
 * - `accounts`: accounts to use instead of the default ones (versions stay the test catalogue).
 * - `versions`: versions added to (or replacing by name) the test catalogue.
 * - `initMs`: initialization time of every test-catalogue version (default 150 ms).
 * - `logLevel`: daemon log level (default FLEET_TEST_LOG_LEVEL, else 'error' to keep test output quiet).
 * - `waitForBoot`: wait until every account's pool is up (default true).
 * - `host`, `token`: where the control plane listens (default 127.0.0.1) and its bearer token (the
 *   client sends it).
 *
 * The test catalogue (`TEST_VERSIONS`) has healthy 2026.46.0, 2026.47.0, 2026.47.1 and 2027.1.0
 * (lineage v1, so they all serve the same values) and one version per fault:
 * 2026.47.0-fails-to-start, -never-ready, -wrong-values (30 % of entities),
 * -errors-after-promotion (50 % of requests), -slow-after-promotion (+400 ms).
 * Default accounts (`TEST_ACCOUNTS`): "early-1" (earlyAccess, fraud-score + credit-limit) and
 * "regular-1" (fraud-score), each 1 instance at 2026.46.0.
 *
 * `stop({ expectNoStrays })`: tears everything down (every engine process and socket the fleet
 * opened) and then checks at the OS level that every engine process is gone, throwing if one
 * survived. With `expectNoStrays: true` it first checks that the test left nothing behind: every
 * instance still running must be in its account's request pool (no green left after a rollback,
 * no blue left after a drain, no failed instance never decommissioned); it throws listing the
 * strays, after the teardown. Call it in afterAll/afterEach.
 *
 * `strays()` answers those instances at any time, for assertions inside a test.
 */
import { LocalFleetClient } from './client';
import { startFleetDaemon, type FleetDaemon } from './daemon';
import type { FleetMode } from './instances/engine-launcher';
import type { InstanceInfo } from './model';
import type { AccountSeedInput, FleetSeedInput } from './schemas';

export type VersionSeedInput = NonNullable<FleetSeedInput['versions']>[number];

export const TEST_VERSIONS = {
  current: '2026.46.0',
  next: '2026.47.0',
  patch: '2026.47.1',
  major: '2027.1.0',
  failsToStart: '2026.47.0-fails-to-start',
  neverReady: '2026.47.0-never-ready',
  wrongValues: '2026.47.0-wrong-values',
  errorsAfterPromotion: '2026.47.0-errors-after-promotion',
  slowAfterPromotion: '2026.47.0-slow-after-promotion',
} as const;

export function testVersionCatalogue(initMs = 150): VersionSeedInput[] {
  return [
    { version: TEST_VERSIONS.current, initMs },
    { version: TEST_VERSIONS.next, initMs },
    { version: TEST_VERSIONS.patch, initMs },
    { version: TEST_VERSIONS.major, initMs },
    { version: TEST_VERSIONS.failsToStart, initMs, fault: { type: 'fails-to-start' } },
    { version: TEST_VERSIONS.neverReady, initMs, fault: { type: 'never-ready' } },
    { version: TEST_VERSIONS.wrongValues, initMs, fault: { type: 'wrong-values', fraction: 0.3 } },
    { version: TEST_VERSIONS.errorsAfterPromotion, initMs, fault: { type: 'errors-after-promotion', rate: 0.5 } },
    { version: TEST_VERSIONS.slowAfterPromotion, initMs, fault: { type: 'slow-after-promotion', delayMs: 400 } },
  ];
}

export const TEST_ACCOUNTS: AccountSeedInput[] = [
  {
    accountId: 'early-1',
    earlyAccess: true,
    useCases: ['fraud-score', 'credit-limit'],
    instanceCount: 1,
    currentVersion: TEST_VERSIONS.current,
  },
  {
    accountId: 'regular-1',
    earlyAccess: false,
    useCases: ['fraud-score'],
    instanceCount: 1,
    currentVersion: TEST_VERSIONS.current,
  },
];

export interface TestFleetOptions {
  mode?: FleetMode;
  seed?: FleetSeedInput;
  accounts?: AccountSeedInput[];
  versions?: VersionSeedInput[];
  initMs?: number;
  logLevel?: string;
  waitForBoot?: boolean;
  host?: string;
  token?: string;
}

export interface LocalTestFleet {
  /** Control-plane URL of the daemon. */
  url: string;
  client: LocalFleetClient;
  daemon: FleetDaemon;
  /** Instances running outside any request pool: what a clean swap or rollback leaves none of. */
  strays(): Promise<InstanceInfo[]>;
  stop(options?: { expectNoStrays?: boolean }): Promise<void>;
}

export async function startLocalTestFleet(options: TestFleetOptions = {}): Promise<LocalTestFleet> {
  const seed = options.seed ?? buildSeed(options);
  const daemon = await startFleetDaemon({
    mode: options.mode ?? 'process',
    seed,
    logLevel: options.logLevel ?? process.env.FLEET_TEST_LOG_LEVEL ?? 'error',
    waitForBoot: options.waitForBoot ?? true,
    stopGraceMs: 2_000,
    host: options.host,
    token: options.token,
  });
  const client = new LocalFleetClient(daemon.url, 20_000, options.token);
  const strays = async () => (await client.inventory()).filter((instance) => !instance.inPool);

  let stopped = false;
  return {
    url: daemon.url,
    client,
    daemon,
    strays,
    async stop({ expectNoStrays = false } = {}) {
      if (stopped) return;
      stopped = true;
      let leftovers: InstanceInfo[] = [];
      let pids: number[] = [];
      try {
        leftovers = expectNoStrays ? await strays() : [];
        pids = await enginePids(daemon.url, options.token);
      } finally {
        await daemon.stop();
      }
      const survivors = await survivingProcesses(pids);
      if (survivors.length > 0) throw new Error(`engine processes survived the fleet's stop: ${survivors.join(', ')}`);
      if (leftovers.length > 0) {
        const list = leftovers.map((i) => `${i.instanceId} (${i.state})`).join(', ');
        throw new Error(`the test left instances running outside any pool: ${list}`);
      }
    },
  };
}

async function enginePids(url: string, token: string | undefined): Promise<number[]> {
  const response = await fetch(`${url}/inventory`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = (await response.json()) as { instances: Array<{ pid?: number }> };
  return body.instances.flatMap((instance) => (instance.pid ? [instance.pid] : []));
}

/** Processes still alive a moment after the stop (a killed process may take a few ms to go). */
async function survivingProcesses(pids: number[]): Promise<number[]> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let attempt = 0; attempt < 40; attempt++) {
    const survivors = pids.filter(alive);
    if (survivors.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids.filter(alive);
}

function buildSeed(options: TestFleetOptions): FleetSeedInput {
  const versions = new Map(testVersionCatalogue(options.initMs).map((spec) => [spec.version, spec]));
  for (const spec of options.versions ?? []) versions.set(spec.version, spec);
  return { versions: [...versions.values()], accounts: options.accounts ?? TEST_ACCOUNTS };
}
