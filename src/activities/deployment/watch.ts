import { activityInfo, Context, sleep } from '@temporalio/activity';
import { z } from 'zod';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import { pickSampleRequests } from '../../domain/deployment/sampling';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import { APP_METRICS } from '../../domain/metrics';
import {
  emptyTally,
  judgeWatch,
  routerUnreachable,
  tallyAnswers,
  toWatchReport,
  type WatchJudgement,
  type WatchTally,
} from '../../domain/deployment/watch';
import type { ActivityDeps } from '../deps';
import { BLIND_RETRY_MS, Observation, ObservationSchema, resumedFrom, unlessUnreachable } from './observation';
import { activityLogger, checkFailed, heartbeating } from './support';

const TallySchema = z.object({
  sent: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  latencies: z.array(z.number()),
  errorExamples: z.array(z.string()),
});

/** What the watch carries from one attempt (or call) to the next. */
const WatchProgressSchema = z.union([
  ObservationSchema.extend({ tally: TallySchema }),
  // Heartbeats of watches started before unobserved time was told apart: all of it was observed.
  z.object({ tally: TallySchema, elapsedMs: z.number().nonnegative() }).transform(({ tally, elapsedMs }) => ({
    tally,
    observedMs: elapsedMs,
    unobservedMs: 0,
  })),
]);
type WatchProgress = z.infer<typeof ObservationSchema> & { tally: WatchTally };

export function createWatchActivities({ fleet, logger }: ActivityDeps): Pick<DeploymentActivities, 'watchGreen'> {
  return {
    /**
     * Probes green through the router at `probesPerSecond` until `durationMs` of observed time,
     * and fails with `WatchBreached` as soon as a breach is certain (see judgeWatch). Only probes
     * that reached the account count: a batch the fleet could not be asked for, or whose probes
     * could not connect to the router at all, is not judged and its time extends the watch. The
     * tally and the observed time are heartbeat details, so a retried watch resumes where it stopped.
     */
    async watchGreen(input) {
      const log = activityLogger(logger, input);
      const resumed = resumedFrom(WatchProgressSchema, activityInfo().heartbeatDetails, input.resume);
      const tally: WatchTally = resumed?.tally ?? emptyTally();
      const seen = new Observation(resumed);
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
      if (resumed) log.info({ observedMs: seen.observedMs, sent: tally.sent }, 'watch resumed');

      const reportOf = (judgement: WatchJudgement) => {
        const report = toWatchReport(judgement);
        return {
          ...report,
          evidence: { ...report.evidence, observedMs: seen.observedMs, unobservedMs: seen.unobservedMs },
        };
      };
      const breached = (judgement: WatchJudgement) => {
        const detectedAt = new Date().toISOString();
        const report = reportOf(judgement);
        log.error({ evidence: report.evidence }, `watch breached: ${report.summary}`);
        Context.current()
          .metricMeter.createCounter(APP_METRICS.watchBreaches, undefined, 'Watches that ended on a breach')
          .add(1, { account_id: input.accountId });
        return checkFailed(report, DEPLOYMENT_FAILURES.watchBreached, [detectedAt]);
      };

      return heartbeating(
        async () => {
          while (seen.observedMs < input.durationMs) {
            const batchStarted = Date.now();
            const wasBlind = seen.blind !== undefined;
            const batch = Array.from({ length: perTick }, (_, i) => sample[(cursor + i) % sample.length]);
            const asked = await unlessUnreachable('probe through the router', () =>
              fleet.probe(input.accountId, { router: true }, batch),
            );
            if ('unreachable' in asked) seen.missed('fleet unreachable', asked.unreachable);
            else if (routerUnreachable(asked.value))
              seen.missed('router unreachable', `no probe could connect to the router: ${asked.value[0].error}`);
            else {
              const ended = seen.seen();
              if (ended)
                log.warn({ blindFor: Date.now() - ended.since }, `watch sees the account again (${ended.cause})`);
              cursor += batch.length;
              tallyAnswers(tally, asked.value);
              const judgement = judgeWatch(tally, limits, false);
              if (judgement.verdict === 'failed') throw breached(judgement);
            }
            if (seen.blind && !wasBlind)
              log.warn({ cause: seen.blind.cause, detail: seen.blind.detail }, 'watch cannot see the account; waiting');
            const pause = seen.blind ? BLIND_RETRY_MS : tickMs - (Date.now() - batchStarted);
            if (seen.observedMs < input.durationMs) await sleep(Math.max(0, pause)); // rejects when cancelled
          }
          const judgement = judgeWatch(tally, limits, true);
          if (judgement.verdict === 'failed') throw breached(judgement);
          const report = reportOf(judgement);
          log.info({ evidence: report.evidence }, `watch passed: ${report.summary}`);
          return { report };
        },
        (): WatchProgress => ({ ...seen.state(), tally }),
      );
    },
  };
}
