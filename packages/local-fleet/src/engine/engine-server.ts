import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../logger';
import { checkBodilessRead, HttpError, readJsonBody, sendJson, type BodyLimits } from '../http';
import { parseRequestTarget, quote, singleValuedParams } from '../request-target';
import type { EngineSpec, EngineStats } from './engine-spec';
import { computeFeatures, corruptedFeatures, isEntityCorrupted } from './features';

export interface EngineEvents {
  /** Initialization finished; the instance answers readiness with 200 from now on. */
  onReady(): void;
  /** The instance cannot go on (the `fails-to-start` fault); its host must stop it. */
  onFatal(error: Error): void;
}

const FeatureQuerySchema = z.object({
  entity: z.string().min(1, 'entity must not be empty').max(200),
  /** Simulates a slow computation, e.g. to watch a drain wait for it. */
  delayMs: z.coerce.number().int().min(0).max(60_000).optional(),
});

const PromotionBodySchema = z.object({ promoted: z.boolean() }).strict();

/** The only body an engine reads is the daemon's promotion notice, a few bytes. */
const ADMIN_BODY_LIMITS: BodyLimits = { maxBytes: 1024, maxDepth: 4 };

/**
 * One engine instance: serves feature values, liveness and readiness, counts in-flight requests,
 * and plays its version's fault. Transport-neutral: an engine process wraps it in its own HTTP
 * server (./engine-main.ts), lightweight mode mounts many of them on one shared listener.
 */
export class Engine {
  private ready = false;
  private promoted = false;
  private inFlight = 0;
  private served = 0;
  private featureRequests = 0;
  private shuttingDown = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly active = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly spec: EngineSpec,
    private readonly events: EngineEvents,
    private readonly log: Logger,
  ) {}

  /** Starts initialization: ready after `initMs`, unless the version's fault says otherwise. */
  start(): void {
    const { fault, initMs } = this.spec;
    if (fault?.type === 'fails-to-start') {
      this.later(Math.floor(initMs / 2), () => {
        this.log.error({ fault: fault.type }, 'initialization crashed (injected fault fails-to-start)');
        this.events.onFatal(new Error('initialization crashed (injected fault fails-to-start)'));
      });
      return;
    }
    if (fault?.type === 'never-ready') {
      this.log.warn({ fault: fault.type }, 'initialization will never finish (injected fault never-ready)');
      return;
    }
    this.later(initMs, () => {
      this.ready = true;
      this.log.info({ initMs }, 'initialization finished; ready');
      this.events.onReady();
    });
  }

  stats(): EngineStats {
    return { inFlight: this.inFlight, served: this.served, ready: this.ready, promoted: this.promoted };
  }

  setPromoted(promoted: boolean): void {
    if (promoted !== this.promoted)
      this.log.info({ promoted }, promoted ? 'promoted into the request pool' : 'left the request pool');
    this.promoted = promoted;
  }

  /** Stops taking part: later answers close their connection; resolves once nothing is in flight. */
  shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Kills the requests still in flight (their connections are cut), as a killed process would. */
  abortInFlight(): void {
    for (const res of this.active) res.destroy();
    this.active.clear();
  }

  /**
   * `path` is the request target (with query) relative to the instance root. A target that breaks
   * the rules of {@link parseRequestTarget}, or a feature request with a body or another method,
   * throws an HttpError before anything is counted; the server answers it.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void | Promise<void> {
    const target = parseRequestTarget(path);
    if (target.segments[0] === '_admin') return this.handleAdmin(req, res, target.segments);
    checkBodilessRead(req);
    const query = singleValuedParams(target);
    this.inFlight++;
    this.active.add(res);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.active.delete(res);
      this.inFlight--;
      this.served++;
      if (this.inFlight === 0 && this.idleWaiters.length > 0) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    };
    res.once('close', finish);
    res.once('finish', finish);
    if (this.shuttingDown) res.setHeader('connection', 'close');
    const route = target.segments.join('/');
    if (route === 'healthz') {
      sendJson(res, 200, { status: 'alive', instanceId: this.spec.instanceId, version: this.spec.version });
      return;
    }
    if (route === 'readyz') {
      this.answerReadiness(res);
      return;
    }
    if (target.segments.length === 2 && target.segments[0] === 'features') {
      this.answerFeatures(res, target.segments[1], query);
      return;
    }
    sendJson(res, 404, {
      error: `no route for ${quote(target.path.split('?')[0])}; try /features/<useCase>?entity=<id>, /healthz or /readyz`,
    });
  }

  private answerReadiness(res: ServerResponse): void {
    const useCases = Object.fromEntries(this.spec.useCases.map((useCase) => [useCase, this.ready]));
    const body = { ready: this.ready, instanceId: this.spec.instanceId, version: this.spec.version, useCases };
    sendJson(res, this.ready ? 200 : 503, this.ready ? body : { ...body, reason: 'initializing' });
  }

  private answerFeatures(res: ServerResponse, useCase: string, query: Record<string, string>): void {
    const parsed = FeatureQuerySchema.safeParse(query);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      sendJson(res, 400, {
        error: `invalid query: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      });
      return;
    }
    if (!this.ready) {
      sendJson(res, 503, { error: 'instance is initializing; not ready yet' }, { 'retry-after': '1' });
      return;
    }
    if (!this.spec.useCases.includes(useCase)) {
      sendJson(res, 404, {
        error: `use case "${useCase}" is not configured on this instance; configured: ${this.spec.useCases.join(', ')}`,
      });
      return;
    }
    const { entity, delayMs = 0 } = parsed.data;
    const requestNumber = this.featureRequests++;
    const fault = this.spec.fault;
    let extraDelay = 0;
    const erring = fault?.type === 'errors' || (this.promoted && fault?.type === 'errors-after-promotion');
    if (erring && failsThisRequest(requestNumber, fault.rate)) {
      this.respondLater(res, delayMs, () =>
        sendJson(res, 500, { error: `internal engine error (injected fault ${fault.type})` }),
      );
      return;
    }
    if (fault?.type === 'slow' || (this.promoted && fault?.type === 'slow-after-promotion')) extraDelay = fault.delayMs;
    const { lineage, version, instanceId } = this.spec;
    const corrupted = fault?.type === 'wrong-values' && isEntityCorrupted(version, entity, fault.fraction);
    const values = corrupted ? corruptedFeatures(useCase, entity, lineage) : computeFeatures(useCase, entity, lineage);
    this.respondLater(res, delayMs + extraDelay, () =>
      sendJson(res, 200, { useCase, entity, version, instanceId, values }),
    );
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    const route = `${req.method} /${segments.join('/')}`;
    if (route === 'GET /_admin/stats') {
      sendJson(res, 200, this.stats());
      return;
    }
    if (route === 'POST /_admin/promotion') {
      const body = await readJsonBody(req, ADMIN_BODY_LIMITS);
      const parsed = PromotionBodySchema.safeParse(body);
      if (!parsed.success) throw new HttpError(400, 'send {"promoted": true|false}');
      this.setPromoted(parsed.data.promoted);
      sendJson(res, 200, this.stats());
      return;
    }
    throw new HttpError(404, `no admin route ${quote(route)}`);
  }

  private respondLater(res: ServerResponse, delayMs: number, respond: () => void): void {
    if (delayMs <= 0) {
      respond();
      return;
    }
    const timer = this.later(delayMs, () => {
      if (!res.destroyed) respond();
    });
    res.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private later(delayMs: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
    return timer;
  }
}

/** Exactly `rate` of the requests fail, spread evenly: request n fails when floor((n+1)·rate) > floor(n·rate). */
export function failsThisRequest(requestNumber: number, rate: number): boolean {
  return Math.floor((requestNumber + 1) * rate) > Math.floor(requestNumber * rate);
}
