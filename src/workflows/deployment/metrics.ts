/**
 * The swap's metrics, from the events of its transitions: swaps by outcome and step, the rollback
 * time, and rollbacks that could not finish. The workflow metric meter skips replays, so a swap
 * that replays counts once.
 */
import { metricMeter } from '@temporalio/workflow';
import type { SwapEvent } from '../../domain/deployment/events';
import type { SwapStatus } from '../../domain/deployment/status';
import { APP_METRICS } from '../../domain/metrics';

const incompleteRollbacks = () =>
  metricMeter.createCounter(APP_METRICS.rollbacksIncomplete, undefined, 'Rollbacks that could not repair everything');

export function recordSwapMetrics(event: SwapEvent, status: SwapStatus): void {
  // The account's series exists at 0 before it can count, so Prometheus' increase() sees the first one.
  if (event.type === 'started') incompleteRollbacks().add(0, { account_id: status.accountId });
  if (event.type === 'traffic-on-blue' && event.rollback.detectedAt !== undefined) {
    const ms = Math.max(0, event.rollback.trafficOnBlueAt - event.rollback.detectedAt);
    metricMeter
      .createHistogram(APP_METRICS.rollbackTime, 'int', 'ms', 'From a watch breach to traffic on blue')
      .record(ms, { mode: status.mode });
  }
  if (event.type !== 'finished') return;
  const step = event.outcome === 'promoted' ? 'done' : (status.failedStep ?? status.phase);
  metricMeter
    .createCounter(APP_METRICS.swaps, undefined, 'Blue-green swaps that ended, by outcome and step')
    .add(1, { outcome: event.outcome, step: String(step), mode: status.mode });
  if (event.incomplete) incompleteRollbacks().add(1, { account_id: status.accountId });
}
