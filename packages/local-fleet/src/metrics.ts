/**
 * The fleet daemon's Prometheus metrics (prom-client, one registry per daemon so several daemons
 * in one process never mix): every router's requests by status class, its own failures (no
 * instance in the pool, an instance it could not reach) and its latency, per account; and the
 * instances by account and state, read from the fleet when scraped. Served at `GET /metrics`.
 */
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InstanceState } from './model';

export const FLEET_METRICS = {
  requests: 'fleet_router_requests_total',
  failures: 'fleet_router_failures_total',
  latency: 'fleet_router_request_duration_seconds',
  instances: 'fleet_instances',
} as const;

/** Latency buckets (s): an engine answers in milliseconds; the watch's default p99 limit is 250 ms. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a router reports; the router knows nothing of Prometheus. */
export interface RouterMetrics {
  /** Counts the request and its latency once its answer is finished (or the client left). */
  track(accountId: string, res: ServerResponse): void;
  /** The router could not deliver the request: `no-pool` or `unreachable`. */
  failed(accountId: string, reason: 'no-pool' | 'unreachable'): void;
}

export class FleetMetrics implements RouterMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'account_id' | 'code'>;
  private readonly failures: Counter<'account_id' | 'reason'>;
  private readonly latency: Histogram<'account_id'>;

  constructor(instances: () => Promise<ReadonlyArray<{ accountId: string; state: InstanceState }>>) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: FLEET_METRICS.requests,
      help: 'Requests a router answered, by account and status class (2xx, 4xx, 5xx; "closed" when the client left first)',
      labelNames: ['account_id', 'code'],
      registers,
    });
    this.failures = new Counter({
      name: FLEET_METRICS.failures,
      help: 'Requests a router could not deliver: no instance in the request pool, or the instance unreachable',
      labelNames: ['account_id', 'reason'],
      registers,
    });
    this.latency = new Histogram({
      name: FLEET_METRICS.latency,
      help: 'Time from a request reaching the router to its answer finished, by account',
      labelNames: ['account_id'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: FLEET_METRICS.instances,
      help: 'Instances that are not stopped, by account and state (starting, ready, failed, draining)',
      labelNames: ['account_id', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { accountId, state } of await instances()) this.inc({ account_id: accountId, state });
      },
    });
  }

  track(accountId: string, res: ServerResponse): void {
    const stop = this.latency.startTimer({ account_id: accountId });
    res.once('close', () => {
      stop();
      const code = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'closed';
      this.requests.inc({ account_id: accountId, code });
    });
  }

  failed(accountId: string, reason: 'no-pool' | 'unreachable'): void {
    this.failures.inc({ account_id: accountId, reason });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
