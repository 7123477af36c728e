import { activityInfo, sleep } from '@temporalio/activity';
import { z } from 'zod';
import type { CheckReport } from '../../domain/deployment/swap';
import { judgeCanary, type CanaryPair } from '../../domain/deployment/canary';
import type { DeploymentActivities } from '../../domain/deployment/activities';
import { pickSampleRequests } from '../../domain/deployment/sampling';
import type { FeatureAnswer, FeatureRequest, InstanceInfo } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { BLIND_RETRY_MS, Observation, ObservationSchema, resumedFrom, unlessUnreachable } from './observation';
import { activityLogger, checkFailed, fleetCall, heartbeating } from './support';

type ValidationActivities = Pick<
  DeploymentActivities,
  'awaitGreenReady' | 'runSmokeChecks' | 'checkUseCaseReadiness' | 'runCanary'
>;

const POLL_MS = 250;

/** What the readiness wait carries from one attempt (or call) to the next. */
const ReadinessProgressSchema = z.union([
  ObservationSchema,
  // Heartbeats of waits started before unobserved time was told apart: the deadline counted from the start.
  z.object({ startedAt: z.number() }).transform(({ startedAt }) => ({
    observedMs: Math.max(0, Date.now() - startedAt),
    unobservedMs: 0,
  })),
]);

export function createValidationActivities({ fleet, logger }: ActivityDeps): ValidationActivities {
  return {
    /**
     * Initialization: every green instance ready within `timeoutMs` of observed time; a failed
     * instance fails at once. Time the fleet could not be asked does not count (see Observation);
     * the observed time survives a retry or a new call in the heartbeat details.
     */
    async awaitGreenReady(input) {
      const log = activityLogger(logger, input);
      const seen = new Observation(resumedFrom(ReadinessProgressSchema, activityInfo().heartbeatDetails, input.resume));
      let states: InstanceInfo[] = [];
      const describe = () =>
        Object.fromEntries(states.map((i) => [i.instanceId, i.error ? `${i.state}: ${i.error}` : i.state]));
      return heartbeating(
        async () => {
          for (;;) {
            const polled = await unlessUnreachable('poll green readiness', () =>
              fleet.instances(input.accountId, input.instanceIds),
            );
            if ('unreachable' in polled) {
              if (!seen.blind) log.warn({ detail: polled.unreachable }, 'cannot see green: the fleet does not answer');
              seen.missed('fleet unreachable', polled.unreachable);
              await sleep(BLIND_RETRY_MS); // rejects when the activity is cancelled
              continue;
            }
            seen.seen();
            states = polled.value;
            const failed = states.filter((i) => i.state === 'failed' || i.state === 'stopped');
            const missing = input.instanceIds.filter((id) => !states.some((i) => i.instanceId === id));
            const ready = states.filter((i) => i.ready && i.state === 'ready');
            const evidence = {
              instances: input.instanceIds.length,
              ready: ready.length,
              waitedMs: Math.round(seen.observedMs),
              unobservedMs: Math.round(seen.unobservedMs),
              timeoutMs: input.timeoutMs,
              states: describe(),
            };
            if (failed.length > 0 || missing.length > 0) {
              const why = [
                ...failed.map((i) => `${i.instanceId} ${i.state}${i.error ? ` (${i.error})` : ''}`),
                ...missing.map((id) => `${id} disappeared`),
              ].join('; ');
              log.warn({ evidence }, 'green failed to start');
              throw checkFailed({
                check: 'initialization',
                verdict: 'failed',
                summary: `green failed to start: ${why}`,
                evidence,
              });
            }
            if (ready.length === input.instanceIds.length) {
              log.info({ evidence }, 'green ready');
              return {
                check: 'initialization',
                verdict: 'passed',
                summary: `${ready.length} green instance(s) ready after ${evidence.waitedMs}ms`,
                evidence,
              } satisfies CheckReport;
            }
            if (seen.observedMs >= input.timeoutMs) {
              log.warn({ evidence }, 'green never became ready');
              throw checkFailed({
                check: 'initialization',
                verdict: 'failed',
                summary: `${input.instanceIds.length - ready.length} of ${input.instanceIds.length} green instance(s) not ready after ${input.timeoutMs}ms`,
                evidence,
              });
            }
            await sleep(POLL_MS); // rejects when the activity is cancelled
          }
        },
        () => seen.state(),
      );
    },

    /** Core functionality: smoke requests for every use case, spread over every green instance, must all succeed. */
    async runSmokeChecks(input) {
      const log = activityLogger(logger, input);
      const count = Math.max(input.requestsPerUseCase * input.useCases.length, input.instanceIds.length);
      const requests: FeatureRequest[] = Array.from({ length: count }, (_, i) => ({
        useCase: input.useCases[i % input.useCases.length],
        entity: `smoke-${i}`,
      }));
      const answers = await heartbeating(() =>
        fleetCall('smoke requests', () => fleet.probe(input.accountId, { instanceIds: input.instanceIds }, requests)),
      );
      const failures = answers.filter((a) => !a.ok || !a.values || Object.keys(a.values).length === 0);
      const evidence = {
        requests: requests.length,
        failed: failures.length,
        examples: failures.slice(0, 5).map(describeAnswer),
      };
      if (failures.length > 0) {
        log.warn({ evidence }, 'smoke requests failed');
        throw checkFailed({
          check: 'core-functionality',
          verdict: 'failed',
          summary: `${failures.length} of ${requests.length} smoke requests failed`,
          evidence,
        });
      }
      return {
        check: 'core-functionality',
        verdict: 'passed',
        summary: `${requests.length} smoke requests succeeded`,
        evidence,
      };
    },

    /** Readiness of every use-case configuration: each green instance answers each use case with feature values. */
    async checkUseCaseReadiness(input) {
      const log = activityLogger(logger, input);
      const notReady: string[] = [];
      await heartbeating(async () => {
        for (const instanceId of input.instanceIds) {
          const requests = input.useCases.map((useCase) => ({ useCase, entity: 'readiness-check' }));
          const answers = await fleetCall('use-case readiness', () =>
            fleet.probe(input.accountId, { instanceIds: [instanceId] }, requests),
          );
          for (const answer of answers) {
            if (!answer.ok || !answer.values || Object.keys(answer.values).length === 0)
              notReady.push(`${instanceId}/${describeAnswer(answer)}`);
          }
        }
      });
      const evidence = { instances: input.instanceIds.length, useCases: input.useCases, notReady };
      if (notReady.length > 0) {
        log.warn({ evidence }, 'use cases not ready');
        throw checkFailed({
          check: 'use-case-readiness',
          verdict: 'failed',
          summary: `${notReady.length} use-case configuration(s) not ready: ${notReady.slice(0, 3).join('; ')}`,
          evidence,
        });
      }
      return {
        check: 'use-case-readiness',
        verdict: 'passed',
        summary: `${input.useCases.length} use case(s) ready on ${input.instanceIds.length} instance(s)`,
        evidence,
      };
    },

    /** Canary: the same sample to green and to blue, values compared (see src/domain/canary.ts). */
    async runCanary(input) {
      const log = activityLogger(logger, input);
      const sample = pickSampleRequests({ useCases: input.useCases, size: input.sampleSize, seed: input.seed });
      const [green, blue] = await heartbeating(() =>
        Promise.all([
          fleetCall('canary to green', () => fleet.probe(input.accountId, { instanceIds: input.greenIds }, sample)),
          fleetCall('canary to blue', () => fleet.probe(input.accountId, { instanceIds: input.blueIds }, sample)),
        ]),
      );
      const pairs: CanaryPair[] = sample.map((request, i) => ({
        request,
        green: answerFor(green, request, i),
        blue: answerFor(blue, request, i),
      }));
      const report = judgeCanary(pairs, input);
      log.info({ verdict: report.verdict, evidence: report.evidence }, `canary ${report.verdict}: ${report.summary}`);
      if (report.verdict === 'failed') throw checkFailed(report);
      return report;
    },
  };
}

/** The answer to the i-th request (answers come in request order; matched by content as a fallback). */
function answerFor(answers: FeatureAnswer[], request: FeatureRequest, index: number): FeatureAnswer {
  const same = (a: FeatureAnswer | undefined) =>
    a && a.request.useCase === request.useCase && a.request.entity === request.entity;
  const byIndex = answers[index];
  if (same(byIndex)) return byIndex;
  return answers.find((a) => same(a)) ?? { request, ok: false, status: 0, latencyMs: 0, error: 'no answer' };
}

function describeAnswer(answer: FeatureAnswer): string {
  return `${answer.request.useCase}/${answer.request.entity}: ${answer.ok ? 'no feature values' : (answer.error ?? `status ${answer.status}`)}`;
}
