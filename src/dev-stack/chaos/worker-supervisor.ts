/**
 * Keeps exactly one chaos worker process running: starts one, knows when it polls, kills it with
 * SIGKILL on request and starts the next, and replaces one that died on its own (counted apart:
 * that is not a planned fault). A new worker waits while the dev server is down, as an operator's
 * process manager would keep restarting it until the server answered.
 */
import path from 'node:path';
import type { Logger } from '../../logging/logger';
import { startManagedProcess, type ManagedProcess } from '../child-process';
import { REPO_ROOT } from '../tool-scripts';
import type { FaultLog } from './fault-log';
import { sleep } from './time';
import { READY_MARKER } from './worker-main';

const WORKER_MAIN = path.join(REPO_ROOT, 'src', 'dev-stack', 'chaos', 'worker-main.ts');
/** A worker that has not polled by then is killed and replaced (a starved machine can be slow). */
const READY_TIMEOUT_MS = 180_000;

export interface WorkerSettings {
  env: NodeJS.ProcessEnv;
  /** Resolves when the dev server answers; new workers start only then. */
  serverUp(): Promise<void>;
}

export class WorkerSupervisor {
  private current: ManagedProcess | undefined;
  private ready: Promise<void> = Promise.resolve();
  private started = 0;
  private stopping = false;
  /** Workers killed on purpose. */
  kills = 0;
  /** Workers that exited without being killed (each replaced). */
  unexpectedExits = 0;
  /** Pids of every worker started; each leads its own process group. */
  readonly pids: number[] = [];

  constructor(
    private readonly settings: WorkerSettings,
    private readonly logger: Logger,
    private readonly faults: FaultLog,
  ) {}

  /** Starts the first worker; resolves once it polls. */
  start(): Promise<void> {
    this.launch();
    return this.ready;
  }

  /** Resolves once the current worker polls. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** SIGKILL of the current worker, then the next one starts. */
  async kill(uptimeMs: number): Promise<void> {
    // Only a worker that polls is killed: one still starting may be the replacement of one that died.
    let ready: Promise<void>;
    do {
      ready = this.ready;
      await ready;
    } while (ready !== this.ready);
    const victim = this.current;
    if (!victim || this.stopping) return;
    this.current = undefined;
    this.kills++;
    this.faults.write('worker-kill', { n: this.kills, pid: victim.child.pid, uptimeMs });
    await victim.stop(0, 'SIGKILL');
    this.launch();
  }

  /** Stops the current worker gracefully (its in-flight tasks get their shutdown grace). */
  async stop(): Promise<void> {
    this.stopping = true;
    const last = this.current;
    this.current = undefined;
    await last?.stop(15_000);
  }

  private launch(): void {
    this.ready = this.startOne().catch((error: unknown) => {
      this.logger.error({ err: error }, 'no worker could be started');
      throw error;
    });
    this.ready.catch(() => undefined);
  }

  private async startOne(): Promise<void> {
    for (;;) {
      await this.settings.serverUp();
      if (this.stopping) return;
      const n = ++this.started;
      const proc = startManagedProcess(`worker-${n}`, process.execPath, ['--import', 'tsx', WORKER_MAIN], this.logger, {
        cwd: REPO_ROOT,
        env: this.settings.env,
      });
      this.current = proc;
      if (proc.child.pid) this.pids.push(proc.child.pid);
      const startedAt = Date.now();
      const settled = new AbortController();
      const outcome = await Promise.race([
        lineSeen(proc, READY_MARKER).then(() => 'ready' as const),
        proc.exited.then(() => 'exited' as const),
        sleep(READY_TIMEOUT_MS, settled.signal).then(() => 'timeout' as const),
      ]);
      settled.abort();
      if (this.current !== proc) return; // stopped meanwhile
      if (outcome === 'ready') {
        this.faults.write('worker-started', { n, pid: proc.child.pid, startMs: Date.now() - startedAt });
        this.watchForUnexpectedExit(proc);
        return;
      }
      this.current = undefined;
      await proc.stop(0, 'SIGKILL');
      if (this.stopping) return;
      this.unexpectedExits++;
      this.faults.write('worker-exited', {
        n,
        pid: proc.child.pid,
        before: 'ready',
        outcome,
        last: proc.recentOutput().slice(-3),
      });
      await sleep(1_000);
    }
  }

  private watchForUnexpectedExit(proc: ManagedProcess): void {
    void proc.exited.then((code) => {
      if (this.current !== proc || this.stopping) return;
      this.current = undefined;
      this.unexpectedExits++;
      this.faults.write('worker-exited', { pid: proc.child.pid, code, last: proc.recentOutput().slice(-3) });
      this.launch();
    });
  }
}

/** Resolves when the process prints a line containing `text` on stdout. */
function lineSeen(proc: ManagedProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen = (seen + chunk.toString()).slice(-4_096);
      if (seen.includes(text)) {
        proc.child.stdout?.off('data', onData);
        resolve();
      }
    };
    proc.child.stdout?.on('data', onData);
  });
}
