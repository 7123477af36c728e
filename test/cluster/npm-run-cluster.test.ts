/**
 * `npm run cluster` as a user runs it: everything comes up and says where it is, Ctrl-C stops every
 * process it started (workers first, PostgreSQL last), and a second start reuses the data: no initdb,
 * and the schema migration finds nothing to do.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ensureClusterTools } from '../../src/dev-stack/cluster/cluster';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';
import { freePort } from '../harness/ports';
import { childrenOf, isAlive, processesInGroup, waitForLine } from '../harness/processes';
import { REPO_ROOT } from '../harness/tools';
import { clusterDataDir, freeTemporalBasePort, removeClusterDataDir, secondsSince } from './support';

interface Started {
  process: string;
  pid: number;
}

describe('npm run cluster', () => {
  const dataDir = clusterDataDir('npm-run-cluster');
  const leftoverGroups: number[] = [];

  beforeAll(() => {
    const start = Date.now();
    ensureClusterTools();
    console.log(`cluster tools ready in ${secondsSince(start)} s (a build happens only on the first run)`);
  }, 1_800_000);

  afterAll(() => {
    // Only when the test failed half-way: end whatever is left.
    for (const pgid of leftoverGroups) if (processesInGroup(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
    removeClusterDataDir(dataDir);
  });

  /** One `npm run cluster` from start to Ctrl-C; answers its output. `whileRunning` checks the live stack. */
  async function runOnce(env: NodeJS.ProcessEnv, whileRunning: (lines: string[]) => Promise<void>): Promise<string> {
    const startedAt = Date.now();
    // Its own process group, like a terminal's foreground job: Ctrl-C signals the whole group.
    const child = spawn('npm', ['run', 'cluster', '--silent'], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    leftoverGroups.push(child.pid as number);
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await waitForLine(lines, /Staged Release is running on a production-like stack/, child, 300_000);
    console.log(`npm run cluster ready in ${secondsSince(startedAt)} s`);

    const managed = lines
      .filter((line) => line.startsWith('{') && line.includes('"msg":"started"'))
      .map((line) => JSON.parse(line) as Started);
    expect(managed.map((entry) => entry.process).sort()).toEqual([
      'fleet',
      'postgres',
      'temporal-server',
      'temporal-ui',
      'worker-1',
      'worker-2',
    ]);
    const groups = [child.pid as number, ...managed.map((entry) => entry.pid)];
    leftoverGroups.push(...groups);
    const fleetPid = managed.find((entry) => entry.process === 'fleet')?.pid as number;
    const engines = childrenOf(fleetPid);
    expect(engines.length).toBeGreaterThanOrEqual(20); // 10 demo accounts x 2 instances
    if (process.getuid?.() === 0) {
      // PostgreSQL refuses root; the stack runs it as a service account.
      const postgresPid = managed.find((entry) => entry.process === 'postgres')?.pid as number;
      const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${postgresPid}/status`, 'utf8'))?.[1];
      expect(uid).not.toBe('0');
    }

    await whileRunning(lines);

    const stopAt = Date.now();
    process.kill(-(child.pid as number), 'SIGINT');
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    await waitForLine(lines, /stopped; nothing left running/, child, 120_000);
    const alive = () => [...groups.flatMap(processesInGroup), ...engines.filter(isAlive)];
    const deadline = Date.now() + 15_000;
    while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive()).toEqual([]);
    console.log(`npm run cluster stopped in ${secondsSince(stopAt)} s`);
    const stopping = lines
      .filter((line) => line.includes('"msg":"stopping"'))
      .map((line) => (JSON.parse(line) as { process: string }).process);
    expect(stopping).toEqual(['worker-2', 'worker-1', 'fleet', 'temporal-ui', 'temporal-server', 'postgres']);
    return lines.join('\n');
  }

  it('starts the stack, Ctrl-C stops every process, and a second start reuses the data', async () => {
    const [postgresPort, uiPort, fleetPort, temporalPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freeTemporalBasePort(),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLUSTER_DATA_DIR: dataDir,
      CLUSTER_POSTGRES_PORT: String(postgresPort),
      CLUSTER_TEMPORAL_PORT: String(temporalPort),
      CLUSTER_UI_PORT: String(uiPort),
      FLEET_PORT: String(fleetPort),
      LOG_LEVEL: 'info',
    };
    for (const name of ['TEMPORAL_ADDRESS', 'FLEET_URL', 'FLEET_SEED', 'CLUSTER_WORKERS']) delete env[name];
    const address = `127.0.0.1:${temporalPort}`;

    const first = await runOnce(env, async () => {
      const connection = await Connection.connect({ address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: 'staged-release' },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        expect(new Set((pollers ?? []).map((poller) => poller.identity)).size).toBe(2);
      } finally {
        await connection.close();
      }
      expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${fleetPort}/accounts`)).status).toBe(200);
    });
    expect(first).toContain(`Temporal UI     http://localhost:${uiPort}`);
    expect(first).toContain(`Temporal        ${address}`);
    expect(first).toContain(`Data            ${dataDir}   (created now)`);
    expect(first).toContain('initdb: creating a PostgreSQL cluster');
    expect(first).toMatch(/schema of temporal: none -> \d+\.\d+/);
    expect(first).toMatch(/schema of temporal_visibility: none -> \d+\.\d+/);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'temporal', 'config', 'cluster.yaml'), 'utf8')).toContain(
      `connectAddr: "127.0.0.1:${postgresPort}"`,
    );

    const second = await runOnce(env, async () => {
      const connection = await Connection.connect({ address });
      try {
        const { namespaces } = await connection.workflowService.listNamespaces({});
        expect((namespaces ?? []).map((ns) => ns.namespaceInfo?.name)).toContain('default');
      } finally {
        await connection.close();
      }
    });
    expect(second).toContain(`Data            ${dataDir}   (reused)`);
    expect(second).toContain('reusing the PostgreSQL data folder');
    expect(second).not.toContain('initdb');
    expect(second).toMatch(/schema of temporal is current \(\d+\.\d+\): nothing to migrate/);
    expect(second).toMatch(/schema of temporal_visibility is current \(\d+\.\d+\): nothing to migrate/);
    expect(second).not.toContain('namespace registered');
    expect(second).not.toContain('search attributes registered');
  });
});
