import { activityInfo, sleep } from '@temporalio/activity';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import { pickSampleRequests } from '../../domain/deployment/sampling';
import { emptyTally, judgeWatch, toWatchReport, type WatchTally } from '../../domain/deployment/watch';
import type { ActivityDeps } from '../deps';
import { activityLogger, checkFailed, fleetCall, heartbeating } from './support';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';

interface WatchProgress {
  tally: WatchTally;
  elapsedMs: number;
}

/** Keep this many latencies at most in heartbeat details (enough for p99 of any sensible watch). */
const MAX_KEPT_LATENCIES = 20_000;

export function createWatchActivities({ fleet, logger }: ActivityDeps): Pick<DeploymentActivities, 'watchGreen'> {
  return {
    /**
     * Probes green through the router at `probesPerSecond` for `durationMs`, heartbeating its
     * tally (a retried watch resumes where it stopped), and fails with `WatchBreached` as soon as
     * a breach is certain (see judgeWatch).
     */
    async watchGreen(input) {
      const log = activityLogger(logger, input);
      const resumed = activityInfo().heartbeatDetails as WatchProgress | undefined;
      const tally: WatchTally = resumed?.tally ?? emptyTally();
      let elapsedMs = resumed?.elapsedMs ?? 0;
      const tickMs = Math.min(1000, Math.max(100, Math.round(1000 / input.probesPerSecond)));
      const perTick = Math.max(1, Math.round((input.probesPerSecond * tickMs) / 1000));
      const limits = {
        plannedProbes: Math.max(1, Math.round((input.durationMs / 1000) * input.probesPerSecond)),
        maxErrorRate: input.maxErrorRate,
        maxP99Ms: input.maxP99Ms,
      };
      const sample = pickSampleRequests({
        useCases: input.useCases,
        size: Math.max(perTick * 50, 1),
        seed: input.seed,
      });
      let cursor = tally.sent;
      if (resumed) log.info({ elapsedMs, sent: tally.sent }, 'watch resumed after a retry');

      return heartbeating(
        async () => {
          const begin = Date.now() - elapsedMs;
          const breached = (judgement: ReturnType<typeof judgeWatch>) => {
            const detectedAt = new Date().toISOString();
            const report = toWatchReport(judgement);
            log.error({ evidence: report.evidence }, `watch breached: ${report.summary}`);
            return checkFailed(report, DEPLOYMENT_FAILURES.watchBreached, [detectedAt]);
          };
          while (elapsedMs < input.durationMs) {
            const batch = Array.from({ length: perTick }, () => sample[cursor++ % sample.length]);
            const answers = await fleetCall('probe through the router', () =>
              fleet.probe(input.accountId, { router: true }, batch),
            );
            for (const answer of answers) {
              tally.sent++;
              if (answer.ok) tally.latencies.push(answer.latencyMs);
              else {
                tally.errors++;
                if (tally.errorExamples.length < 5) tally.errorExamples.push(answer.error ?? `status ${answer.status}`);
              }
            }
            if (tally.latencies.length > MAX_KEPT_LATENCIES)
              tally.latencies.splice(0, tally.latencies.length - MAX_KEPT_LATENCIES);
            const judgement = judgeWatch(tally, limits, false);
            if (judgement.verdict === 'failed') throw breached(judgement);
            elapsedMs = Date.now() - begin;
            const untilNextTick = tickMs - ((Date.now() - begin) % tickMs);
            if (elapsedMs < input.durationMs) await sleep(Math.min(untilNextTick, input.durationMs - elapsedMs)); // rejects when cancelled
            elapsedMs = Date.now() - begin;
          }
          const judgement = judgeWatch(tally, limits, true);
          const report = toWatchReport(judgement);
          if (judgement.verdict === 'failed') throw breached(judgement);
          log.info({ evidence: report.evidence }, `watch passed: ${report.summary}`);
          return { report };
        },
        () => ({ tally, elapsedMs }) satisfies WatchProgress,
      );
    },
  };
}
