/**
 * The application's Prometheus metrics, by name: emitted through the Temporal SDK's metric meter
 * (workflows: `metricMeter` from @temporalio/workflow, skipped while replaying; activities:
 * `Context.current().metricMeter`) and exported by the worker's runtime next to the SDK's own.
 * The dashboard and the alert rules (deploy/) query these names; a test checks they are exported.
 */
export const APP_METRICS = {
  /** Counter: swaps that ended, tags `outcome` (promoted, rolled-back, failed, cancelled, reverted), `step` (where a swap that did not promote stopped; `done` otherwise), `mode`. */
  swaps: 'staged_release_swaps',
  /** Histogram (ms): from the watch detecting a breach to the request pool back on blue. */
  rollbackTime: 'staged_release_rollback_time',
  /** Counter: swaps whose rollback could not repair everything (ROLLBACK INCOMPLETE), tag `account_id`. */
  rollbacksIncomplete: 'staged_release_rollbacks_incomplete',
  /** Gauge: 1 for a release's current stage, 0 for the stage it left; tags `release_id`, `stage`. */
  releaseStage: 'staged_release_release_stage',
  /** Gauge: open issues of a release, tag `release_id`. */
  openIssues: 'staged_release_open_issues',
  /** Counter (activity): watches that ended on a breach, tag `account_id`. */
  watchBreaches: 'staged_release_watch_breaches',
} as const;

/** Rollback time buckets (ms): an instant switch back is tens of ms, a slow fleet seconds. */
export const ROLLBACK_TIME_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];
