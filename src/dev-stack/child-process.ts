import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import type { Logger } from '../logging/logger';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited (whatever the reason). */
  exited: Promise<number | null>;
  /** The last lines it printed, whatever the log level: what to show when it fails. */
  recentOutput(): string[];
  /** `signal` (default SIGTERM), then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a long-running child whose output is passed through line by line as structured logs.
 * The child leads a process group of its own: a terminal's Ctrl-C reaches only its parent, which
 * stops the children in order (the worker must shut down while the servers it talks to still run).
 */
export function startManagedProcess(
  name: string,
  command: string,
  args: string[],
  logger: Logger,
  options: SpawnOptions = {},
): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  logger.info({ process: name, pid: child.pid, command: [command, ...args].join(' ') }, 'started');
  const recent: string[] = [];
  const forward = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        logger[level]({ process: name }, line);
        recent.push(line);
        if (recent.length > RECENT_LINES) recent.shift();
      }
    });
  };
  forward(child.stdout, 'info');
  forward(child.stderr, 'warn');
  return {
    name,
    child,
    exited,
    recentOutput: () => [...recent],
    async stop(graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child.pid);
    },
  };
}

const RECENT_LINES = 20;

/** Whatever the child left behind in its process group (its own children) goes too. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already empty.
  }
}

/** True when something already listens on host:port. */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `probe` until it returns true, the process exits, or the deadline passes. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  exited?: Promise<unknown>,
): Promise<void> {
  let gone = false;
  void exited?.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${what}: the process exited before it was ready (see the log lines above)`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)}s`);
}

/**
 * waitUntil for a managed process. A process that does not become ready is stopped, and the error
 * carries its last lines.
 */
export async function waitUntilServing(
  proc: ManagedProcess,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  try {
    await waitUntil(what, probe, timeoutMs, proc.exited);
  } catch (error) {
    await proc.stop();
    const tail = proc.recentOutput().map((line) => `  ${line.slice(0, 2_000)}`);
    throw new Error(
      [(error as Error).message, ...(tail.length ? [`last lines of ${proc.name}:`, ...tail] : [])].join('\n'),
    );
  }
}
