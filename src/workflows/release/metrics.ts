/**
 * A release's gauges: its stage (1 for the current one, 0 for the one it left) and its open
 * issues. Set when they change; the workflow metric meter skips replays, so a worker that takes
 * the release over sets them again at the next change.
 */
import { metricMeter } from '@temporalio/workflow';
import { APP_METRICS } from '../../domain/metrics';
import { openIssues, type ReleaseStatus } from '../../domain/release/status';

export class ReleaseMetrics {
  private stage?: string;
  private issues?: number;

  observe(status: ReleaseStatus): void {
    const release_id = status.releaseId;
    if (status.stage !== this.stage) {
      const gauge = metricMeter.createGauge(APP_METRICS.releaseStage, 'int', undefined, 'Current stage of a release');
      if (this.stage !== undefined) gauge.set(0, { release_id, stage: this.stage });
      gauge.set(1, { release_id, stage: status.stage });
      this.stage = status.stage;
    }
    const issues = openIssues(status).length;
    if (issues !== this.issues) {
      metricMeter
        .createGauge(APP_METRICS.openIssues, 'int', undefined, 'Open issues of a release')
        .set(issues, { release_id });
      this.issues = issues;
    }
  }
}
