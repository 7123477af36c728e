import type { Server } from 'node:http';
import type { Logger } from '../logger';
import { Engine } from '../engine/engine-server';
import type { EngineSpec, EngineStats } from '../engine/engine-spec';
import { createGuardedServer } from '../guarded-server';
import { closeServer, listen, sendJson } from '../http';
import { parseRequestTarget, quote } from '../request-target';
import type { EngineExit, EngineHandle, EngineLauncher, LaunchEvents } from './engine-launcher';

/** Header on the answer for an instance that no longer runs: the router treats it like a refused connection. */
export const INSTANCE_GONE_HEADER = 'x-fleet-instance-gone';

/**
 * Lightweight mode: every instance is an {@link Engine} inside the daemon, all mounted on ONE shared
 * loopback listener at `/i/<instanceId>/...`. Requests still cross a real HTTP hop (router →
 * listener), so in-flight counting, slow requests and drains behave as with processes, but an
 * instance costs a few hundred bytes instead of a process and a port.
 */
export class InProcessEngineLauncher implements EngineLauncher {
  readonly mode = 'lightweight' as const;
  private readonly engines = new Map<string, Engine>();
  private server: Server | undefined;
  private baseUrl: Promise<string> | undefined;

  constructor(private readonly logger: Logger) {}

  launch(spec: EngineSpec, events: LaunchEvents): EngineHandle {
    return new InProcessEngineHandle(this, spec, events, this.logger);
  }

  /** The shared listener opens on first use, so process mode never pays for it. */
  hostUrl(): Promise<string> {
    this.baseUrl ??= (async () => {
      this.server = createGuardedServer('lightweight engine host', this.logger, (req, res) => {
        const target = parseRequestTarget(req.url ?? '/');
        const [first, instanceId] = target.segments;
        const engine = first === 'i' && instanceId !== undefined ? this.engines.get(instanceId) : undefined;
        if (!engine) {
          sendJson(
            res,
            503,
            { error: `instance ${quote(instanceId ?? '?')} is not running` },
            { [INSTANCE_GONE_HEADER]: '1', connection: 'close' },
          );
          return;
        }
        // The engine reads the rest of the target, still encoded, as its own.
        const prefix = `/i/${target.path.slice(3).split(/[/?]/)[0]}`;
        const rest = target.path.slice(prefix.length);
        return engine.handle(req, res, rest.startsWith('/') ? rest : `/${rest}`);
      });
      this.server.keepAliveTimeout = 65_000;
      const port = await listen(this.server, 0);
      this.logger.info({ port }, 'lightweight engine host listening');
      return `http://127.0.0.1:${port}`;
    })();
    return this.baseUrl;
  }

  mount(engine: Engine): void {
    this.engines.set(engine.spec.instanceId, engine);
  }

  unmount(engine: Engine): void {
    if (this.engines.get(engine.spec.instanceId) === engine) this.engines.delete(engine.spec.instanceId);
  }

  async close(): Promise<void> {
    for (const engine of this.engines.values()) {
      engine.abortInFlight();
      engine.dispose();
    }
    this.engines.clear();
    if (this.server) await closeServer(this.server);
  }
}

class InProcessEngineHandle implements EngineHandle {
  url: string | undefined;
  readonly pid = undefined;
  readonly listening: Promise<void>;
  readonly exited: Promise<EngineExit>;
  private readonly engine: Engine;
  private resolveExit!: (exit: EngineExit) => void;
  private ended = false;

  constructor(
    private readonly launcher: InProcessEngineLauncher,
    spec: EngineSpec,
    events: LaunchEvents,
    logger: Logger,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
    const log = logger.child({ accountId: spec.accountId, version: spec.version, instanceId: spec.instanceId });
    this.engine = new Engine(
      spec,
      { onReady: () => events.onReady(), onFatal: (error) => this.end({ requested: false, reason: error.message }) },
      log,
    );
    this.listening = launcher.hostUrl().then((hostUrl) => {
      if (this.ended) throw new Error('instance ended before it listened');
      this.url = `${hostUrl}/i/${encodeURIComponent(spec.instanceId)}`;
      launcher.mount(this.engine);
      this.engine.start();
    });
    this.listening.catch(() => undefined);
  }

  async stats(): Promise<EngineStats> {
    return this.engine.stats();
  }

  async setPromoted(promoted: boolean): Promise<void> {
    if (this.ended) throw new Error('instance is not running');
    this.engine.setPromoted(promoted);
  }

  async stop(graceMs: number): Promise<EngineExit> {
    if (this.ended) return this.exited;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.engine.shutdown(), graceOver]);
    clearTimeout(timer);
    this.end({ requested: true, reason: 'stopped' });
    return this.exited;
  }

  async kill(): Promise<EngineExit> {
    this.end({ requested: true, reason: 'killed' });
    return this.exited;
  }

  private end(exit: EngineExit): void {
    if (this.ended) return;
    this.ended = true;
    this.launcher.unmount(this.engine);
    this.engine.abortInFlight();
    this.engine.dispose();
    this.resolveExit(exit);
  }
}
