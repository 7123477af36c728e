/**
 * A release on the production-like stack: Temporal on PostgreSQL with two worker processes. The
 * worker running a swap's activity is killed with SIGKILL mid-release and the Temporal server is
 * restarted once on the same database; the release still completes with every account promoted,
 * and visibility queries on the design's search attributes answer from PostgreSQL.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { releases } from '../../src/client';
import { ensureClusterTools, startCluster, type Cluster } from '../../src/dev-stack/cluster/cluster';
import { releaseWorkflowId, type StagedReleaseInput } from '../../src/domain/release/input';
import type { ReleaseOverview } from '../../src/domain/release/overview';
import type { ReleaseStatusView } from '../../src/domain/release/view';
import { DaemonFleetProvider } from '../../src/platform/daemon-client';
import { createLogger } from '../../src/logging/logger';
import { TEST_VERSIONS, testVersionCatalogue } from '../harness/fleet';
import { scriptPinnedVersion } from '../harness/pinned-versions';
import { childrenOf, isAlive } from '../harness/processes';
import { temporalCli } from '../harness/tools';
import { waitFor } from '../harness/wait';
import { clusterDataDir, freeClusterPorts, removeClusterDataDir, secondsSince } from './support';

const ACCOUNTS = ['early-a', 'early-b', 'regular-a', 'regular-b'];
const RELEASE_ID = `cluster-${Date.now()}`;
const WORKFLOW_ID = releaseWorkflowId(RELEASE_ID);
const VERSION = TEST_VERSIONS.next;
const INPUT: StagedReleaseInput = {
  releaseId: RELEASE_ID,
  version: VERSION,
  schedule: { stageLength: '10 seconds' },
  strategy: {
    concurrency: { wave1: 2, wave2: 2 },
    smokeRequests: 1,
    canary: { sampleSize: 10 },
    // Long enough to find a worker in the middle of it and kill that worker.
    watch: { duration: '6 seconds', probesPerSecond: 5 },
    keepBlueWarm: '1 second',
    drainTimeout: '10 seconds',
  },
};
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

describe('a release on the PostgreSQL-backed cluster with two workers', () => {
  const dataDir = clusterDataDir('release');
  const logger = createLogger(process.env.TEST_LOG_LEVEL?.toLowerCase() ?? 'error', 'cluster');
  let cluster: Cluster | undefined;
  let connection: Connection | undefined;
  let client: Client;
  /** Every process the cluster ran, engines included: none may survive its stop. */
  const pids = new Set<number>();

  beforeAll(async () => {
    let start = Date.now();
    const tools = ensureClusterTools();
    console.log(`cluster tools ready in ${secondsSince(start)} s (a build happens only on the first run)`);
    const seed = path.join(dataDir, 'fleet-seed.json');
    fs.writeFileSync(
      seed,
      JSON.stringify({
        versions: testVersionCatalogue(150),
        accounts: ACCOUNTS.map((accountId) => ({
          accountId,
          earlyAccess: accountId.startsWith('early'),
          useCases: ['fraud-score'],
          instanceCount: 1,
          currentVersion: TEST_VERSIONS.current,
        })),
      }),
    );
    start = Date.now();
    cluster = await startCluster(
      {
        dataDir,
        ports: await freeClusterPorts(),
        namespace: 'default',
        taskQueue: 'staged-release',
        workers: 2,
        logLevel: 'warn',
        fleetSeed: seed,
      },
      tools,
      logger,
    );
    console.log(`cluster (PostgreSQL, Temporal, UI, fleet, 2 workers) ready in ${secondsSince(start)} s`);
    connection = await Connection.connect({ address: cluster.address });
    client = new Client({ connection, namespace: 'default' });
  }, 1_800_000);

  afterAll(async () => {
    await connection?.close();
    if (cluster) {
      for (const proc of [cluster.postgres, cluster.temporal(), cluster.ui, cluster.fleet, ...cluster.workers]) {
        if (proc.child.pid) pids.add(proc.child.pid);
      }
      for (const engine of childrenOf(cluster.fleet.child.pid as number)) pids.add(engine);
      await cluster.stop();
    }
    // Give the kernel a moment to reap, then nothing the cluster ran may remain.
    const deadline = Date.now() + 15_000;
    while ([...pids].some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const survivors = [...pids].filter(isAlive);
    removeClusterDataDir(dataDir);
    expect(survivors).toEqual([]);
  }, 180_000);

  it('runs the pinned server version on PostgreSQL for persistence and visibility', async () => {
    const info = await connection!.workflowService.getClusterInfo({});
    expect(info).toMatchObject({
      persistenceStore: 'postgres12',
      visibilityStore: 'postgres12',
      serverVersion: scriptPinnedVersion('ensure-temporal-server.sh').replace(/^v/, ''),
    });
  });

  it('completes with every account promoted through a worker SIGKILL and a server restart', async () => {
    const live = cluster!;
    const handle = await releases.start(client, INPUT, { taskQueue: 'staged-release' });
    pids.add(live.temporal().child.pid as number);

    // Kill the worker that is watching a green deployment: its activity has to move to the other worker.
    const victim = await waitFor(
      'a worker running a watchGreen activity',
      () => workerWatchingGreen(live),
      120_000,
      100,
    );
    const killed = live.workers.find((worker) => worker.child.pid === victim.pid);
    expect(killed).toBeDefined();
    killed!.child.kill('SIGKILL');
    expect(await killed!.exited).toBeNull(); // ended by the signal, not on its own
    console.log(`killed ${killed!.name} (pid ${victim.pid}) during ${victim.deploymentId} watchGreen`);

    // Restart Temporal once wave 1 is over, while the release waits out its bake stage.
    const afterWave1 = await waitFor(
      'wave 1 to finish',
      async () => {
        const status = await statusOf(RELEASE_ID);
        const wave1 = status?.waves.wave1;
        return wave1 && wave1.total > 0 && wave1.done === wave1.total ? status : undefined;
      },
      180_000,
      200,
    );
    expect(afterWave1.waves.wave2.done).toBe(0); // wave 2 waits for a full bake stage: the release is mid-way
    const restartAt = Date.now();
    const firstServer = live.temporal().child.pid as number;
    await live.restartTemporal();
    expect(isAlive(firstServer)).toBe(false);
    expect(live.temporal().child.pid).not.toBe(firstServer);
    pids.add(live.temporal().child.pid as number);
    console.log(`restarted the Temporal server in ${secondsSince(restartAt)} s`);

    const result = await waitFor('the release to complete', () => resultOf(handle.workflowId), 300_000, 500);
    expect(result.stage).toBe('completed');
    for (const accountId of ACCOUNTS) {
      expect(result.accounts[accountId]).toMatchObject({ outcome: 'promoted', version: VERSION });
    }
    const fleet = new DaemonFleetProvider(live.fleetUrl);
    for (const accountId of ACCOUNTS) expect((await fleet.accountState(accountId)).version).toBe(VERSION);

    // The killed attempt was retried on the surviving worker.
    const history = await client.workflow.getHandle(victim.deploymentId).fetchHistory();
    const watchStarts = (history.events ?? []).filter(
      (event) =>
        event.activityTaskStartedEventAttributes &&
        (history.events ?? []).some(
          (scheduled) =>
            scheduled.eventId?.toString() === event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() &&
            scheduled.activityTaskScheduledEventAttributes?.activityType?.name === 'watchGreen',
        ),
    );
    expect(watchStarts.length).toBe(1);
    const started = watchStarts[0].activityTaskStartedEventAttributes!;
    expect(started.attempt).toBeGreaterThanOrEqual(2);
    expect(started.identity).not.toBe(victim.identity);
  });

  it('answers visibility queries by ReleaseId, AccountId and DeploymentOutcome from PostgreSQL', async () => {
    const byRelease = `ReleaseId = '${RELEASE_ID}'`;
    const list = async (query: string) => {
      const found: WorkflowExecutionInfo[] = [];
      for await (const execution of client.workflow.list({ query })) found.push(execution);
      return found;
    };
    // Visibility is written asynchronously: wait until it has caught up with the finished release.
    const all = await waitFor(
      'visibility to list the release and its four deployments as closed',
      async () => {
        const found = await list(byRelease);
        return found.length === 5 && found.every((execution) => execution.status.name === 'COMPLETED')
          ? found
          : undefined;
      },
      60_000,
      500,
    );
    expect(all.map((execution) => execution.type).sort()).toEqual([
      ...ACCOUNTS.map(() => 'blueGreenDeployment'),
      'stagedRelease',
    ]);

    const forAccount = await list(`${byRelease} AND AccountId = 'early-a'`);
    expect(forAccount.map((execution) => execution.workflowId)).toEqual([expect.stringContaining('/early-a/')]);
    const promoted = await list(`${byRelease} AND DeploymentOutcome = 'promoted'`);
    expect(promoted).toHaveLength(ACCOUNTS.length);
    expect(await list(`${byRelease} AND DeploymentOutcome = 'rolled-back'`)).toEqual([]);

    // The same answers from the real Temporal CLI ...
    const cliCount = await runCli(['workflow', 'count', '--query', `${byRelease} AND DeploymentOutcome = 'promoted'`]);
    expect(cliCount).toContain(`Total: ${ACCOUNTS.length}`);
    const cliList = await runCli(['workflow', 'list', '--query', `${byRelease} AND AccountId = 'regular-b'`]);
    expect(cliList).toContain(`${WORKFLOW_ID}/regular-b/`);

    // ... and the rows they come from, in PostgreSQL's visibility database.
    const rows = cluster!
      .queryPostgres(
        'temporal_visibility',
        `SELECT workflow_id FROM executions_visibility WHERE workflow_id LIKE '${WORKFLOW_ID}%' ORDER BY workflow_id`,
      )
      .split('\n');
    expect(rows).toEqual(all.map((execution) => execution.workflowId).sort());
  });

  it('runs on versioned workers of the staged-release Worker Deployment: the release auto-upgrades, swaps are pinned', async () => {
    const { workerDeploymentInfo } = await connection!.workflowService.describeWorkerDeployment({
      namespace: 'default',
      deploymentName: 'staged-release',
    });
    const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;
    expect(current).toBeTruthy();
    expect(await runCli(['worker', 'deployment', 'describe', '--name', 'staged-release'])).toContain(current!);

    const behaviourOf = async (workflowId: string) => {
      const { raw } = await client.workflow.getHandle(workflowId).describe();
      const info = raw.workflowExecutionInfo?.versioningInfo;
      return { behaviour: info?.behavior, buildId: info?.deploymentVersion?.buildId };
    };
    const { VERSIONING_BEHAVIOR_AUTO_UPGRADE: AUTO_UPGRADE, VERSIONING_BEHAVIOR_PINNED: PINNED } =
      temporal.api.enums.v1.VersioningBehavior;
    expect(await behaviourOf(WORKFLOW_ID)).toEqual({ behaviour: AUTO_UPGRADE, buildId: current });
    expect(await behaviourOf(`${WORKFLOW_ID}/early-a/${VERSION}`)).toEqual({
      behaviour: PINNED,
      buildId: current,
    });
  });

  async function statusOf(releaseId: string): Promise<ReleaseOverview | undefined> {
    try {
      return await releases.status(releases.getHandle(client, releaseId));
    } catch {
      return undefined; // a query can fail while a worker or the server is away; ask again
    }
  }

  async function resultOf(workflowId: string): Promise<ReleaseStatusView | undefined> {
    try {
      const handle = client.workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      return status.name === 'RUNNING' ? undefined : ((await handle.result()) as ReleaseStatusView);
    } catch {
      return undefined;
    }
  }

  function runCli(args: string[]): Promise<string> {
    const fullArgs = [...args, '--address', cluster!.address, '--namespace', 'default'];
    return new Promise((resolve, reject) => {
      execFile(temporalCli(), fullArgs, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`temporal ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
  }
});

/** A worker (by pid, from its SDK identity <pid>@<host>) that is running a watchGreen activity right now. */
async function workerWatchingGreen(
  cluster: Cluster,
): Promise<{ pid: number; identity: string; deploymentId: string } | undefined> {
  const connection = await Connection.connect({ address: cluster.address });
  try {
    const release = await connection.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId: WORKFLOW_ID },
    });
    for (const child of release.pendingChildren ?? []) {
      const deployment = await connection.workflowService.describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: child.workflowId },
      });
      const watching = (deployment.pendingActivities ?? []).find(
        (activity) =>
          activity.activityType?.name === 'watchGreen' && activity.state === STARTED && activity.lastWorkerIdentity,
      );
      if (watching) {
        const identity = watching.lastWorkerIdentity as string;
        return { pid: Number(identity.split('@')[0]), identity, deploymentId: child.workflowId as string };
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await connection.close();
  }
}
