/**
 * Metrics during a small release on the real stack: the worker as its own OS process (the
 * runtime's Prometheus exporter, as src/worker.ts installs it) and the real fleet daemon, both
 * scraped over HTTP. One early-access account gets a version that slows down once promoted: the
 * watch breaches, the swap rolls back and an issue opens while wave 1 bakes (it would hold on Day 2).
 * Another account is swapped on its own to a healthy version and promoted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parse } from 'yaml';
import { releases, swaps } from '../../../src/client';
import { APP_METRICS } from '../../../src/domain/metrics';
import { releaseWorkflowId } from '../../../src/domain/release/input';
import { startTestFleet, TEST_VERSIONS, type TestFleet, oneInstanceAccount } from '../../harness/fleet';
import { freePort } from '../../harness/ports';
import { BUNDLE_ENV, startDevServer } from '../../harness/temporal';
import { REPO_ROOT } from '../../harness/tools';
import { waitFor } from '../../harness/wait';
import { exportedNames, samplesOf, valueOf } from '../../support/prometheus';
import { metricNamesIn } from '../../support/promql';

const WORKER_ENTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'deployment', 'worker-process.ts');
const TASK_QUEUE = `metrics-${randomUUID()}`;
const FAST_STRATEGY = {
  watch: { duration: '2 seconds', probesPerSecond: 5 },
  keepBlueWarm: 0,
  canary: { sampleSize: 20 },
};
const account = oneInstanceAccount;

let env: TestWorkflowEnvironment;
let fleet: TestFleet;
let worker: ChildProcess | undefined;
let workerMetrics: string;

/** The text both endpoints answered during the release (the dashboard test reads them too). */
const scraped: { worker?: string; fleet?: string } = {};

beforeAll(async () => {
  fleet = await startTestFleet({
    accounts: [account('m-early', true), account('m-late', false), account('m-solo', false)],
  });
  env = await startDevServer();
  const port = await freePort();
  workerMetrics = `http://127.0.0.1:${port}/metrics`;
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', WORKER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      FLEET_URL: fleet.url,
      WORKER_METRICS_PORT: String(port),
      ...(process.env[BUNDLE_ENV] ? { WORKFLOW_BUNDLE: process.env[BUNDLE_ENV] } : {}),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  worker = child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker-ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    const kill = setTimeout(() => worker!.kill('SIGKILL'), 15_000);
    worker.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
  }
  await env?.teardown();
  await fleet?.stop({ expectNoStrays: true });
});

async function scrape(url: string): Promise<string> {
  const answer = await fetch(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}`);
  return answer.text();
}

test('the worker exports the SDK runtime metrics and the application metrics; the fleet its routers and instances', async () => {
  const releaseId = `metrics-${Date.now()}`;
  const release = await releases.start(
    env.client,
    {
      releaseId,
      version: TEST_VERSIONS.slowAfterPromotion,
      accounts: ['m-early', 'm-late'],
      schedule: { stageLength: '1 day' },
      strategy: FAST_STRATEGY,
    },
    { taskQueue: TASK_QUEUE, workflowId: releaseWorkflowId(releaseId) },
  );
  const solo = await swaps.start(
    env.client,
    { accountId: 'm-solo', version: TEST_VERSIONS.next, strategy: FAST_STRATEGY },
    { taskQueue: TASK_QUEUE },
  );
  expect((await solo.result()).outcome).toBe('promoted');

  // Wave 1 bakes with an issue open once the watch breached and the swap rolled back.
  const release_id = releaseId;
  const text = await waitFor(
    'the worker to export the rolled-back swap and the open issue',
    async () => {
      const body = await scrape(workerMetrics);
      const baking = valueOf(body, APP_METRICS.releaseStage, { release_id, stage: 'bake' }) === 1;
      return baking && valueOf(body, APP_METRICS.openIssues, { release_id }) === 1 ? body : undefined;
    },
    150_000,
    500,
  );
  scraped.worker = text;

  // Application metrics, through the SDK's metric meter.
  expect(valueOf(text, APP_METRICS.releaseStage, { release_id, stage: 'wave-1' })).toBe(0);
  expect(valueOf(text, APP_METRICS.openIssues, { release_id })).toBe(1);
  expect(valueOf(text, APP_METRICS.swaps, { outcome: 'rolled-back', step: 'watch' })).toBe(1);
  expect(valueOf(text, APP_METRICS.swaps, { outcome: 'promoted', step: 'done' })).toBe(1);
  expect(valueOf(text, `${APP_METRICS.rollbackTime}_count`)).toBe(1);
  expect(samplesOf(text, `${APP_METRICS.rollbackTime}_bucket`).length).toBeGreaterThan(5);
  expect(valueOf(text, APP_METRICS.watchBreaches, { account_id: 'm-early' })).toBe(1);
  // Every swapped account has its incomplete-rollback series, at 0 until one cannot finish.
  expect(samplesOf(text, APP_METRICS.rollbacksIncomplete, { account_id: 'm-early' }).map((s) => s.value)).toEqual([0]);
  // The SDK runtime's own.
  expect(valueOf(text, 'temporal_workflow_completed')).toBeGreaterThanOrEqual(1);
  expect(samplesOf(text, 'temporal_activity_execution_latency_bucket').length).toBeGreaterThan(0);

  // The fleet: the watch's probes and the canary went through the routers.
  const fleetText = await scrape(`${fleet.url}/metrics`);
  scraped.fleet = fleetText;
  expect(valueOf(fleetText, 'fleet_router_requests_total', { account_id: 'm-early', code: '2xx' })).toBeGreaterThan(0);
  expect(valueOf(fleetText, 'fleet_router_request_duration_seconds_count', { account_id: 'm-solo' })).toBeGreaterThan(
    0,
  );
  // The slow version's answers took longer than 250 ms: they sit above that bucket.
  const early = { account_id: 'm-early' };
  const slow =
    valueOf(fleetText, 'fleet_router_request_duration_seconds_count', early) -
    valueOf(fleetText, 'fleet_router_request_duration_seconds_bucket', { ...early, le: '0.25' });
  expect(slow).toBeGreaterThan(0);
  expect(valueOf(fleetText, 'fleet_instances', { account_id: 'm-solo', state: 'ready' })).toBe(1);
  expect(exportedNames(fleetText).has('fleet_router_failures_total')).toBe(true);

  await releases.update.abort(release, { reason: 'metrics test done' });
  await waitFor(
    'the aborted release to show in the stage gauge',
    async () => {
      const body = await scrape(workerMetrics);
      const gone = valueOf(body, APP_METRICS.releaseStage, { release_id, stage: 'bake' }) === 0;
      return gone && valueOf(body, APP_METRICS.releaseStage, { release_id, stage: 'aborted' }) === 1 ? body : undefined;
    },
    60_000,
    500,
  );
}, 300_000);

interface Dashboard {
  uid: string;
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
}
interface RuleGroups {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string }> }>;
}

test('every query of the Grafana dashboard and of the alert rules names a metric the worker or the fleet exports', () => {
  // Scraped during the release above (this file's tests run in order).
  const exported = new Set([...exportedNames(scraped.worker ?? ''), ...exportedNames(scraped.fleet ?? '')]);
  expect(exported.size).toBeGreaterThan(20);
  const deploy = path.join(REPO_ROOT, 'deploy');
  const dashboard = JSON.parse(
    fs.readFileSync(path.join(deploy, 'grafana', 'dashboards', 'staged-release.json'), 'utf8'),
  ) as Dashboard;
  const rules = parse(fs.readFileSync(path.join(deploy, 'prometheus', 'alerts.yml'), 'utf8')) as RuleGroups;

  const queries = [
    ...dashboard.panels.flatMap((panel) =>
      panel.targets.map((t) => ({ where: `panel "${panel.title}"`, expr: t.expr })),
    ),
    ...rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
  ];
  expect(queries.length).toBeGreaterThanOrEqual(12);
  const missing = queries.flatMap(({ where, expr }) => {
    const names = metricNamesIn(expr);
    if (names.length === 0) return [`${where}: no metric in ${expr}`];
    return names.filter((name) => !exported.has(name)).map((name) => `${where}: ${name} is not exported`);
  });
  expect(missing).toEqual([]);
});
