import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import type { EngineMessage, EngineSpec, EngineStats } from '../engine/engine-spec';
import {
  NOT_LISTENING_STATS,
  type EngineExit,
  type EngineHandle,
  type EngineLauncher,
  type LaunchEvents,
} from './engine-launcher';

export interface ProcessLauncherOptions {
  logger: Logger;
  /** Where engine processes write their own (pino) logs: the daemon's stdout, or nowhere. */
  engineOutput: 'inherit' | 'ignore';
  engineLogLevel: string;
  /** A process that has not listened by then is killed and reported failed. */
  listenTimeoutMs?: number;
}

const STATS_TIMEOUT_MS = 2_000;
const STDERR_TAIL_BYTES = 2_000;

/** How to start engine-main: compiled JavaScript runs as is; TypeScript sources go through tsx's require hook. */
function engineCommand(): string[] {
  const compiled = path.join(__dirname, '..', 'engine', 'engine-main.js');
  if (__filename.endsWith('.js') && existsSync(compiled)) return [compiled];
  const source = path.join(__dirname, '..', 'engine', 'engine-main.ts');
  return ['-r', require.resolve('tsx/cjs'), source];
}

/**
 * An engine's whole environment: its spec, its log level, and the little Node itself needs. Never
 * the daemon's environment, which may hold secrets (FLEET_TOKEN, TEMPORAL_API_KEY, cloud keys).
 * NODE_OPTIONS is not passed either: engine-main loads tsx through its own arguments.
 */
export function engineEnvironment(spec: EngineSpec, logLevel: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ENGINE_SPEC: JSON.stringify(spec), LOG_LEVEL: logLevel };
  // PATH for anything that looks up a command; TMPDIR so tsx finds the compile cache the daemon uses.
  for (const name of ['PATH', 'TMPDIR'] as const) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

/** Each instance is its own OS process (`node engine-main`), tied to the daemon by an IPC channel. */
export class ProcessEngineLauncher implements EngineLauncher {
  readonly mode = 'process' as const;
  private readonly command = engineCommand();

  constructor(private readonly options: ProcessLauncherOptions) {}

  launch(spec: EngineSpec, events: LaunchEvents): EngineHandle {
    const child = spawn(process.execPath, this.command, {
      stdio: ['ignore', this.options.engineOutput, 'pipe', 'ipc'],
      env: engineEnvironment(spec, this.options.engineLogLevel),
    });
    return new ProcessEngineHandle(child, events, this.options, spec);
  }

  async close(): Promise<void> {}
}

class ProcessEngineHandle implements EngineHandle {
  url: string | undefined;
  readonly listening: Promise<void>;
  readonly exited: Promise<EngineExit>;
  private requested = false;
  private hasExited = false;
  private stderrTail = '';
  private fatal: string | undefined;

  constructor(
    private readonly child: ChildProcess,
    events: LaunchEvents,
    options: ProcessLauncherOptions,
    spec: EngineSpec,
  ) {
    const log = options.logger.child({ accountId: spec.accountId, version: spec.version, instanceId: spec.instanceId });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
      if (options.engineOutput === 'inherit') process.stderr.write(chunk);
    });

    let resolveListening!: () => void;
    let rejectListening!: (error: Error) => void;
    this.listening = new Promise<void>((resolve, reject) => {
      resolveListening = resolve;
      rejectListening = reject;
    });
    this.listening.catch(() => undefined);

    const listenTimer = setTimeout(() => {
      this.fatal = `did not listen within ${options.listenTimeoutMs ?? 20_000} ms`;
      child.kill('SIGKILL');
    }, options.listenTimeoutMs ?? 20_000);

    child.on('message', (message: EngineMessage) => {
      if (message.type === 'listening') {
        clearTimeout(listenTimer);
        this.url = `http://127.0.0.1:${message.port}`;
        resolveListening();
      } else if (message.type === 'ready') {
        events.onReady();
      } else if (message.type === 'fatal') {
        this.fatal = message.error;
      }
    });

    this.exited = new Promise<EngineExit>((resolve) => {
      const onEnd = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (this.hasExited) return;
        this.hasExited = true;
        clearTimeout(listenTimer);
        const how = spawnError
          ? `could not be spawned: ${spawnError.message}`
          : `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
        const lastWords = this.stderrTail.trim().split('\n').pop();
        const reason = this.fatal ? `${this.fatal} (${how})` : lastWords ? `${how}: ${lastWords}` : how;
        rejectListening(new Error(`engine process ${reason}`));
        if (!this.requested) log.warn({ pid: child.pid, reason }, 'engine process ended unexpectedly');
        resolve({ requested: this.requested, reason });
      };
      child.once('exit', (code, signal) => onEnd(code, signal));
      child.once('error', (error) => onEnd(null, null, error));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async stats(): Promise<EngineStats> {
    if (!this.url || this.hasExited) return NOT_LISTENING_STATS;
    try {
      const response = await fetch(`${this.url}/_admin/stats`, { signal: AbortSignal.timeout(STATS_TIMEOUT_MS) });
      return (await response.json()) as EngineStats;
    } catch {
      return NOT_LISTENING_STATS;
    }
  }

  async setPromoted(promoted: boolean): Promise<void> {
    if (!this.url || this.hasExited) throw new Error('instance is not running');
    const response = await fetch(`${this.url}/_admin/promotion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ promoted }),
      signal: AbortSignal.timeout(STATS_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`instance answered ${response.status} to the promotion notice`);
  }

  stop(graceMs: number): Promise<EngineExit> {
    if (this.hasExited) return this.exited;
    this.requested = true;
    this.child.kill('SIGTERM');
    const killTimer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    return this.exited.finally(() => clearTimeout(killTimer));
  }

  kill(): Promise<EngineExit> {
    if (this.hasExited) return this.exited;
    this.requested = true;
    this.child.kill('SIGKILL');
    return this.exited;
  }
}
