import autocannon from 'autocannon';

/**
 * Steady HTTP load at an account's router (autocannon does the driving), reporting requests,
 * failures by cause and latency percentiles, overall and per phase. Phases let a caller tell
 * "before the swap" from "during the swap": call `mark('swap')` when the swap starts.
 */
export interface LoadOptions {
  /** Router base URL (an account's `routerUrl`); requests go to `<url>/features/<useCase>?entity=<id>`. */
  url: string;
  durationMs: number;
  /** Concurrent keep-alive connections. Default 10. */
  connections?: number;
  /** Overall requests per second; default: as fast as the server answers. */
  rate?: number;
  /** Use cases to spread requests over. Default ["fraud-score"]. */
  useCases?: string[];
  /** Entities are drawn at random from e-0 … e-(entities-1). Default 1000. */
  entities?: number;
  /** A request without an answer by then counts as a failure ("timeout"). Default 10 s. */
  timeoutMs?: number;
  /** Name of the first phase. Default "load". */
  firstPhase?: string;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface PhaseReport {
  requests: number;
  failed: number;
  /** "status-503", "ECONNRESET", "timeout", ... → count. */
  failuresByCause: Record<string, number>;
  /** Milliseconds, over every answered request. */
  latencyMs: LatencySummary;
}

export interface LoadReport extends PhaseReport {
  url: string;
  durationMs: number;
  connections: number;
  rate: number | null;
  requestsPerSecond: number;
  /** Per phase, in order; only the first phase when `mark` was never called. */
  phases: Record<string, PhaseReport>;
}

export interface RunningLoad {
  /** Starts a new phase: what completes from now on counts there. */
  mark(phase: string): void;
  /** Ends the run early. */
  stop(): void;
  done: Promise<LoadReport>;
}

class PhaseRecorder {
  requests = 0;
  failed = 0;
  readonly failuresByCause: Record<string, number> = {};
  private latencies: number[] = [];

  answered(statusCode: number, latencyMs: number): void {
    this.requests++;
    this.latencies.push(latencyMs);
    if (statusCode < 200 || statusCode >= 300) this.fail(`status-${statusCode}`);
  }

  errored(cause: string): void {
    this.requests++;
    this.fail(cause);
  }

  report(): PhaseReport {
    return {
      requests: this.requests,
      failed: this.failed,
      failuresByCause: { ...this.failuresByCause },
      latencyMs: summarizeLatencies(this.latencies),
    };
  }

  private fail(cause: string): void {
    this.failed++;
    this.failuresByCause[cause] = (this.failuresByCause[cause] ?? 0) + 1;
  }
}

/** Percentiles by the nearest-rank method, rounded to 0.01 ms; all zero when there is no sample. */
export function summarizeLatencies(samples: number[]): LatencySummary {
  if (samples.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const rank = (q: number) =>
    round2(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);
  return { p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: round2(sorted[sorted.length - 1]) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function errorCause(error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (err?.message === 'request timed out') return 'timeout';
  return err?.code ?? err?.message ?? 'error';
}

export function startLoad(options: LoadOptions): RunningLoad {
  const base = new URL(options.url);
  const prefix = base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '');
  const useCases = options.useCases && options.useCases.length > 0 ? options.useCases : ['fraud-score'];
  const entities = options.entities ?? 1000;
  const connections = options.connections ?? 10;
  let sent = 0;
  const pathFor = () => {
    const useCase = useCases[sent++ % useCases.length];
    return `${prefix}/features/${encodeURIComponent(useCase)}?entity=e-${Math.floor(Math.random() * entities)}`;
  };

  const phases = new Map<string, PhaseRecorder>();
  let current = new PhaseRecorder();
  phases.set(options.firstPhase ?? 'load', current);
  const overall = new PhaseRecorder();
  const startedAt = Date.now();

  let finish!: (error: unknown) => void;
  const done = new Promise<LoadReport>((resolve, reject) => {
    finish = (error) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const elapsedMs = Date.now() - startedAt;
      resolve({
        url: options.url,
        durationMs: elapsedMs,
        connections,
        rate: options.rate ?? null,
        requestsPerSecond: Math.round((overall.requests / elapsedMs) * 1000),
        ...overall.report(),
        phases: Object.fromEntries([...phases].map(([name, recorder]) => [name, recorder.report()])),
      });
    };
  });

  const instance = autocannon(
    {
      url: base.origin,
      connections,
      duration: options.durationMs / 1000,
      ...(options.rate ? { overallRate: options.rate } : {}),
      timeout: Math.max(1, Math.ceil((options.timeoutMs ?? 10_000) / 1000)),
      sampleInt: 100,
      requests: [{ method: 'GET', path: pathFor(), setupRequest: (request) => ({ ...request, path: pathFor() }) }],
    },
    (error) => finish(error),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    current.answered(statusCode, responseTime);
    overall.answered(statusCode, responseTime);
  });
  instance.on('reqError', (error: unknown) => {
    const cause = errorCause(error);
    current.errored(cause);
    overall.errored(cause);
  });

  return {
    mark(phase: string) {
      current = phases.get(phase) ?? new PhaseRecorder();
      phases.set(phase, current);
    },
    stop: () => instance.stop(),
    done,
  };
}

/** Drives load for `durationMs` and reports. */
export function runLoad(options: LoadOptions): Promise<LoadReport> {
  return startLoad(options).done;
}
