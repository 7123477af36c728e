import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { train } from '../../../src/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/domain/search-attributes';
import { REPO_ROOT, temporalCli } from '../../harness/tools';
import { freePort } from '../../harness/ports';
import { childrenOf, isAlive, processesInGroup, waitForLine } from '../../harness/processes';

const FLEET_TOKEN = 'npm-start-test-token-0123456789';

describe('npm start (the embedded default stack)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-start-'));
  let child: ChildProcess | undefined;
  const leftoverGroups: number[] = [];

  afterAll(() => {
    // Only when the test failed half-way: end whatever is left.
    for (const pgid of leftoverGroups) if (processesInGroup(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up the dev server, UI, fleet and worker, and Ctrl-C stops every process it started', async () => {
    const [temporalPort, uiPort, fleetPort, metricsPort, boardPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_CLI_PATH: temporalCli(),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      FLEET_PORT: String(fleetPort),
      WORKER_METRICS_PORT: String(metricsPort),
      BOARD_PORT: String(boardPort),
      TEMPORAL_DEV_DB: path.join(dataDir, 'dev.sqlite'),
      LOG_LEVEL: 'info',
      // The fleet it starts requires the token and its readiness check sends it.
      FLEET_TOKEN: FLEET_TOKEN,
    };
    delete env.TEMPORAL_ADDRESS;
    delete env.FLEET_URL;
    // Its own process group, like a terminal's foreground job: Ctrl-C signals the whole group.
    child = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child?.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await waitForLine(lines, /Staged Release is running/, child, 120_000);
    expect(lines.join('\n')).toContain(`Temporal UI     http://localhost:${uiPort}`);
    expect(lines.join('\n')).toContain('npm run demo');
    // The runbook's entry point, and the exact line that puts the CLI it uses on PATH.
    expect(lines.join('\n')).toContain('npx temporal workflow list');
    expect(lines.join('\n')).toContain(`export PATH="${path.dirname(temporalCli())}:$PATH"`);

    // Both metrics endpoints, where the banner says they are.
    const workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
    expect(lines.join('\n')).toMatch(new RegExp(`Worker metrics +${workerMetrics.replace(/[.]/g, '\\.')}`));
    expect(lines.join('\n')).toContain(`Fleet metrics   http://127.0.0.1:${fleetPort}/metrics`);
    expect(await (await fetch(workerMetrics)).text()).toMatch(/^temporal_/m);
    expect(await (await fetch(`http://127.0.0.1:${fleetPort}/metrics`)).text()).toMatch(/^fleet_instances\{/m);

    expect(await (await fetch(`http://127.0.0.1:${boardPort}/`)).text()).toContain('Staged Release board');

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);
    // The release board, where the banner says it is, reading releases from the dev server.
    expect(lines.join('\n')).toContain(`Release board   http://127.0.0.1:${boardPort}`);
    const board = await fetch(`http://127.0.0.1:${boardPort}/api/releases`);
    expect(board.status).toBe(200);
    expect(await board.json()).toEqual({ releases: [] });
    // The local inbox of release notifications, on the board, where the banner says it is.
    expect(lines.join('\n')).toContain(`Notifications   http://127.0.0.1:${boardPort}/inbox`);
    const inbox = await fetch(`http://127.0.0.1:${boardPort}/api/inbox`);
    expect(await inbox.json()).toEqual({ notifications: [] });

    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
      // The worker is the current version of the staged-release Worker Deployment and polls the task queue.
      const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({
        namespace: 'default',
        deploymentName: 'staged-release',
      });
      const buildId = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId;
      expect(buildId).toBeTruthy();
      const { workerDeploymentVersionInfo } = await connection.workflowService.describeWorkerDeploymentVersion({
        namespace: 'default',
        deploymentVersion: { deploymentName: 'staged-release', buildId },
      });
      const queues = (workerDeploymentVersionInfo?.taskQueueInfos ?? []).map((queue) => queue.name);
      expect(queues).toContain('staged-release');
      // The weekly release train's schedule is applied: Tuesday 09:00 UTC, firing releaseTrain on the task queue.
      const schedule = await train.describeSchedule(new Client({ connection }));
      expect(schedule.spec.timezone).toBe('UTC');
      expect(schedule.action).toMatchObject({ workflowType: train.workflowType, taskQueue: 'staged-release' });
      expect(lines.join('\n')).toContain('release train schedule created');
    } finally {
      await connection.close();
    }

    const fleet = await fetch(`http://127.0.0.1:${fleetPort}/accounts`, {
      headers: { authorization: `Bearer ${FLEET_TOKEN}` },
    });
    expect(fleet.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${fleetPort}/accounts`)).status).toBe(401);
    const logLine = lines.find((line) => line.startsWith('{') && line.includes('"msg":"ready"'));
    expect(JSON.parse(logLine as string)).toMatchObject({ level: 30, taskQueue: 'staged-release' });

    // The dev server and the fleet lead process groups of their own (so they outlive the worker's
    // shutdown); the fleet's engine processes are its children.
    const managed = lines
      .filter((line) => line.startsWith('{') && line.includes('"msg":"started"'))
      .map((line) => JSON.parse(line) as { process: string; pid: number });
    expect(managed.map((entry) => entry.process).sort()).toEqual(['fleet', 'temporal-dev-server']);
    const fleetPid = managed.find((entry) => entry.process === 'fleet')?.pid as number;
    const groups = [child.pid as number, ...managed.map((entry) => entry.pid)];
    leftoverGroups.push(...groups);
    expect(processesInGroup(child.pid as number).length).toBeGreaterThan(1);
    expect(childrenOf(fleetPid).length).toBeGreaterThanOrEqual(20); // 10 demo accounts x 2 instances
    const engines = childrenOf(fleetPid);

    // Ctrl-C in a terminal: SIGINT to the foreground process group.
    process.kill(-(child.pid as number), 'SIGINT');
    // npm itself ends on the signal, as in a terminal; the app behind it shuts down in order.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    // Above the worker's shutdownForceTime (30 s): a slow graceful shutdown is still caught below.
    await waitForLine(lines, /stopped; nothing left running/, child, 60_000);
    // Give the kernel a moment to reap, then nothing it started may remain.
    const alive = () => [...groups.flatMap(processesInGroup), ...engines.filter(isAlive)];
    const deadline = Date.now() + 15_000;
    while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive()).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/did not shut down gracefully/);
    expect(fs.existsSync(path.join(dataDir, 'dev.sqlite'))).toBe(true);
  });
});
