import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/domain/search-attributes';
import { REPO_ROOT, temporalCli } from '../../harness/tools';
import { freePort } from '../../harness/ports';

/** Every live process whose process group is `pgid` (read from /proc, as `ps -g` would). */
function processesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

async function waitForLine(lines: string[], pattern: RegExp, child: ChildProcess, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = lines.find((line) => pattern.test(line));
    if (hit) return hit;
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`);
}

describe('npm start (the embedded default stack)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-release-start-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    // Only when the test failed half-way: end whatever of the group is left.
    if (child?.pid && processesInGroup(child.pid).length > 0) process.kill(-child.pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up the dev server, UI, fleet and worker, and Ctrl-C stops every process it started', async () => {
    const [temporalPort, uiPort, fleetPort] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_CLI_PATH: temporalCli(),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      FLEET_PORT: String(fleetPort),
      TEMPORAL_DEV_DB: path.join(dataDir, 'dev.sqlite'),
      LOG_LEVEL: 'info',
    };
    delete env.TEMPORAL_ADDRESS;
    delete env.FLEET_URL;
    // Its own process group, like a terminal's foreground job: Ctrl-C signals the whole group.
    child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);

    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of SEARCH_ATTRIBUTE_KEYS) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
      const pollers = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: 'staged-release' },
        taskQueueType: 1, // workflow
      });
      expect(pollers.pollers?.length ?? 0).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }

    const fleet = await fetch(`http://127.0.0.1:${fleetPort}/accounts`);
    expect(fleet.status).toBe(200);
    const logLine = lines.find((line) => line.startsWith('{') && line.includes('"msg":"ready"'));
    expect(JSON.parse(logLine as string)).toMatchObject({ level: 30, taskQueue: 'staged-release' });

    const pgid = child.pid as number;
    expect(processesInGroup(pgid).length).toBeGreaterThan(2);
    process.kill(-pgid, 'SIGINT');
    // npm itself ends on the signal, as in a terminal; the app behind it shuts down in order.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    await waitForLine(lines, /stopped; nothing left running/, child, 30_000);
    // Give the kernel a moment to reap, then nothing of the group may remain.
    const deadline = Date.now() + 15_000;
    while (processesInGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(processesInGroup(pgid)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'dev.sqlite'))).toBe(true);
  });
});
