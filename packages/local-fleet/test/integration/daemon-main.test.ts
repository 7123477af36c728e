import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LocalFleetClient } from '../../src';
import { isAlive, waitFor } from '../helpers';

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** `daemon-main` as a newcomer runs it: its own process, a seed file, signals. */
describe('fleet daemon command', () => {
  let dir: string;
  let seedFile: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fleet-main-'));
    seedFile = path.join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        versions: [{ version: '1.0.0', initMs: 50 }],
        accounts: [{ accountId: 'solo', useCases: ['fraud-score'], instanceCount: 2, currentVersion: '1.0.0' }],
      }),
    );
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the daemon and resolves with its URL once it logged that it is ready. */
  async function startDaemon(
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
    const child = spawn(
      process.execPath,
      [
        '-r',
        require.resolve('tsx/cjs'),
        path.join(PACKAGE_ROOT, 'src/daemon-main.ts'),
        '--seed',
        seedFile,
        '--engine-logs',
        'ignore',
      ],
      {
        env: { ...process.env, FLEET_PORT: '0', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg?.startsWith('fleet daemon ready at') && entry.url) resolve(entry.url);
      });
      child.once('exit', (code) => reject(new Error(`daemon exited early with code ${code}`)));
    });
    return { child, url, exited };
  }

  async function enginePids(url: string, token?: string): Promise<number[]> {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    const body = (await (await fetch(`${url}/inventory`, { headers })).json()) as { instances: Array<{ pid: number }> };
    return body.instances.map((i) => i.pid);
  }

  it('boots the seed, serves, and on SIGTERM stops every engine process and exits 0', async () => {
    const { child, url, exited } = await startDaemon();
    const fleet = new LocalFleetClient(url);
    const state = await fleet.accountState('solo');
    expect(state.pool).toHaveLength(2);
    expect((await fetch(`${state.routerUrl}/features/fraud-score?entity=e-1`)).status).toBe(200);
    const pids = await enginePids(url);
    expect(pids).toHaveLength(2);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('leaves no orphan engine process when the daemon is killed outright', async () => {
    const { child, url, exited } = await startDaemon();
    const pids = await enginePids(url);
    expect(pids.every(isAlive)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    await waitFor('engine processes to notice and exit', () => (pids.some(isAlive) ? undefined : true), 10_000);
  });

  /** Runs the daemon command to its end; resolves with its exit code and what it wrote on stderr. */
  async function runToExit(
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(
      process.execPath,
      ['-r', require.resolve('tsx/cjs'), path.join(PACKAGE_ROOT, 'src/daemon-main.ts'), ...args],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, FLEET_PORT: '0', ...env },
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stderr };
  }

  it('refuses bad settings with a clear message', async () => {
    const { code, stderr } = await runToExit(['--mode', 'giant']);
    expect(code).toBe(1);
    expect(stderr).toContain('mode must be process or lightweight');
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const { code, stderr } = await runToExit(['--seed', seedFile], { FLEET_HOST: '0.0.0.0', FLEET_TOKEN: '' });
    expect(code).toBe(1);
    expect(stderr).toContain('beyond loopback, without a token: set FLEET_TOKEN');
  });

  it("gives engine processes only the variables they need, never the daemon's secrets", async () => {
    const token = 'fleet-token-0123456789abcdef';
    const secrets = {
      FLEET_TOKEN: token,
      TEMPORAL_API_KEY: 'temporal-secret-key',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-key',
      DATABASE_URL: 'postgres://user:db-secret@db/x',
    };
    const { child, url, exited } = await startDaemon({ ...secrets, FLEET_HOST: '0.0.0.0' });
    const pids = await enginePids(url, token);
    expect(pids).toHaveLength(2);
    for (const pid of pids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const names = environ
        .split('\0')
        .filter(Boolean)
        .map((entry) => entry.slice(0, entry.indexOf('=')));
      // NODE_CHANNEL_* are Node's own: the IPC channel to the daemon.
      const needed = ['ENGINE_SPEC', 'LOG_LEVEL', 'PATH', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];
      expect(names.sort()).toEqual([...needed, ...(process.env.TMPDIR ? ['TMPDIR'] : [])].sort());
      for (const secret of Object.values(secrets)) expect(environ).not.toContain(secret);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
