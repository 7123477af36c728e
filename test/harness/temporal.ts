/**
 * Test harness for real Temporal servers. Every helper here starts real processes; call the
 * returned stop/teardown in afterAll so nothing is left running.
 *
 *   const env = await startDevServer();            // temporal CLI dev server, free port, search attributes registered
 *   const env = await startTimeSkipping();         // Java time-skipping test server
 *   const worker = await startTestWorker(env, { activities });  // real bundled workflows (src/workflows)
 *   const out = await runTemporalCli(env, ['workflow', 'list']); // the real `temporal` CLI against env
 *   await worker.stop(); await env.teardown();
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';
import { REPO_ROOT, temporalCli, timeSkippingServer } from './tools';

export const MAIN_WORKFLOWS_PATH = path.join(REPO_ROOT, 'src', 'workflows', 'index.ts');
/** Set by test/harness/global-setup.ts: one bundle of the real workflows shared by every test file of a run. */
export const BUNDLE_ENV = 'STAGED_RELEASE_TEST_BUNDLE';

/** Worker and SDK logs at WARN unless TEST_LOG_LEVEL says otherwise, so test output stays readable. */
function installQuietRuntime(): void {
  const globals = globalThis as { __stagedReleaseRuntimeInstalled?: boolean };
  if (globals.__stagedReleaseRuntimeInstalled) return;
  try {
    const level = (process.env.TEST_LOG_LEVEL ?? 'WARN') as 'WARN';
    Runtime.install({
      logger: new DefaultLogger(level),
      telemetryOptions: { logging: { filter: { core: level, other: level } } },
    });
  } catch {
    // Already installed by an earlier test file in this process; keep that one.
  }
  globals.__stagedReleaseRuntimeInstalled = true;
}

export interface DevServerOptions {
  /** A SQLite file instead of memory: a server started again on the same file keeps every workflow. */
  dbFilename?: string;
  /** Default: a free port. Give one to start a server again where clients and workers expect it. */
  port?: number;
  /** More `temporal server start-dev` arguments (benches: `--dynamic-config-value ...`). */
  extraArgs?: string[];
  /** Dynamic config values (`--dynamic-config-value KEY=VALUE`), e.g. VERSIONING_TEST_CONFIG. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/**
 * Worker Deployment drainage reported within seconds instead of minutes (a version is checked for
 * open pinned workflows only after a visibility grace period, 3 minutes by default, then every
 * refresh interval). Values in seconds.
 */
export const VERSIONING_TEST_CONFIG = {
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': 2,
  'matching.wv.VersionDrainageStatusRefreshInterval': 1,
};

export async function startDevServer(options: DevServerOptions = {}): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const { dynamicConfig = {}, extraArgs = [], ...server } = options;
  return TestWorkflowEnvironment.createLocal({
    server: {
      ...server,
      extraArgs: [
        ...extraArgs,
        ...Object.entries(dynamicConfig).flatMap(([key, value]) => [
          '--dynamic-config-value',
          `${key}=${JSON.stringify(value)}`,
        ]),
      ],
      executable: { type: 'existing-path', path: temporalCli() },
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'warn' },
    },
  });
}

/** The Java time-skipping server, with the design's search attributes registered (it starts without custom ones). */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const launcher = timeSkippingServer();
  const env = await createTimeSkippingWithPatience(launcher);
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        SEARCH_ATTRIBUTE_KEYS.map((key) => [
          key.name,
          temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}

/**
 * The SDK gives the Java server 5 s to start listening, which a JVM on a loaded 2-core machine can
 * miss: a slow start is retried (by time, up to a minute), any other failure is not.
 */
async function createTimeSkippingWithPatience(launcher: string | undefined): Promise<TestWorkflowEnvironment> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping(
        launcher ? { server: { executable: { type: 'existing-path', path: launcher } } } : {},
      );
    } catch (error) {
      if (!/did not start within/.test((error as Error).message) || Date.now() > deadline) throw error;
    }
  }
}

const bundles = new Map<string, Promise<{ code: string }>>();

async function workflowBundle(workflowsPath: string): Promise<{ code: string }> {
  const shared = process.env[BUNDLE_ENV];
  if (workflowsPath === MAIN_WORKFLOWS_PATH && shared && fs.existsSync(shared)) {
    return { code: fs.readFileSync(shared, 'utf8') };
  }
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

/** The bundler's progress lines hidden; its warnings and errors kept. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  /** Shuts the worker down and waits until it has stopped. */
  stop(): Promise<void>;
}

export interface TestWorkerOptions extends Partial<
  Omit<WorkerOptions, 'connection' | 'workflowBundle' | 'workflowsPath'>
> {
  /** Defaults to the real workflows in src/workflows. */
  workflowsPath?: string;
}

/** Starts a worker on a fresh task queue (unless one is given) and runs it until stop(). */
export async function startTestWorker(
  env: TestWorkflowEnvironment,
  options: TestWorkerOptions = {},
): Promise<TestWorker> {
  const { workflowsPath = MAIN_WORKFLOWS_PATH, ...workerOptions } = options;
  const taskQueue = workerOptions.taskQueue ?? `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    workflowBundle: await workflowBundle(workflowsPath),
    ...workerOptions,
    taskQueue,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * How a test reaches the CLI: `cache` runs the binary scripts/ensure-temporal-cli.sh found or built;
 * `npx` runs `npx temporal ...` from the clone, as the README's runbook writes it (the package's
 * bin/temporal, which execs that same binary); `bin` runs bin/temporal directly (no npx start-up cost).
 */
export type CliEntryPoint = 'cache' | 'npx' | 'bin';

function cliCommand(via: CliEntryPoint, args: string[]): [string, string[]] {
  if (via === 'npx') return ['npx', ['--no-install', 'temporal', ...args]];
  if (via === 'bin') return [path.join(REPO_ROOT, 'bin', 'temporal'), args];
  return [temporalCli(), args];
}

/** Runs the real `temporal` CLI against the environment's server (address and namespace filled in). */
export function runTemporalCli(
  env: TestWorkflowEnvironment,
  args: string[],
  via: CliEntryPoint = 'cache',
): Promise<CliResult> {
  const [command, fullArgs] = cliCommand(via, [
    ...args,
    '--address',
    env.address,
    '--namespace',
    env.namespace ?? 'default',
  ]);
  const options = { encoding: 'utf8' as const, timeout: 60_000, cwd: REPO_ROOT };
  return new Promise((resolve) => {
    execFile(command, fullArgs, options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

/** Like runTemporalCli, but throws with the CLI's own words when it fails, and parses `-o json` output. */
export async function temporalJson<T = unknown>(
  env: TestWorkflowEnvironment,
  args: string[],
  via: CliEntryPoint = 'cache',
): Promise<T> {
  const result = await runTemporalCli(env, [...args, '-o', 'json'], via);
  if (result.code !== 0)
    throw new Error(`temporal ${args.join(' ')} failed (${result.code}): ${result.stderr || result.stdout}`);
  return JSON.parse(result.stdout) as T;
}
