/**
 * The regression run of the pre-release validation (wave 0) on one internal account: one instance
 * of the version the account serves now and one of the new version, provisioned outside its pool
 * with request ids derived from release, account and version (a retried attempt finds the same
 * instances), the same sample workload to both, each side measured, both decommissioned. A new
 * version that does not start or never becomes ready is evidence (every request counted an error);
 * a fleet that does not answer, or a baseline that does not start, is an infrastructure fault
 * retried by time.
 */
import { sleep } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { pickSampleRequests } from '../../domain/deployment/sampling';
import { DEPLOYMENT_FAILURES } from '../../domain/deployment/swap';
import type { RegressionRun } from '../../domain/release/activities';
import { measureWorkload, type RegressionEvidence, type WorkloadMeasure } from '../../domain/release/regression';
import type { FeatureRequest, FleetProvider, InstanceInfo } from '../../platform/provider';
import type { ActivityDeps } from '../deps';
import { fleetCall, heartbeating } from '../deployment/support';

const POLL_MS = 250;

export function regressionRequestId(run: RegressionRun, side: 'baseline' | 'candidate'): string {
  return `${run.releaseId}/${run.accountId}/${run.version}/regression-${side}`;
}

export function createRegressionActivity({ fleet, logger }: ActivityDeps) {
  return {
    async runRegression(run: RegressionRun): Promise<RegressionEvidence> {
      const log = logger.child({ releaseId: run.releaseId, accountId: run.accountId, version: run.version });
      return heartbeating(async () => {
        const [account, state] = await fleetCall('read the internal account', () =>
          Promise.all([fleet.getAccount(run.accountId), fleet.accountState(run.accountId)]),
        );
        const sample = pickSampleRequests({
          useCases: account.useCases,
          size: run.requests,
          seed: `${run.releaseId}/${run.accountId}/${run.version}/regression`,
        });
        const started: string[] = [];
        try {
          const baseline =
            state.version === null
              ? null
              : await measureSide(fleet, run, 'baseline', state.version, sample, started).then((side) => {
                  if ('notStarted' in side)
                    throw ApplicationFailure.retryable(
                      `the current version ${state.version} did not start for the regression run: ${side.notStarted}`,
                      DEPLOYMENT_FAILURES.fleetUnavailable,
                    );
                  return side;
                });
          const candidateSide = await measureSide(fleet, run, 'candidate', run.version, sample, started);
          const candidate: WorkloadMeasure =
            'notStarted' in candidateSide
              ? {
                  version: run.version,
                  requests: sample.length,
                  errors: sample.length,
                  errorRate: 1,
                  p50Ms: 0,
                  p99Ms: 0,
                }
              : candidateSide;
          const evidence: RegressionEvidence = { accountId: run.accountId, baseline, candidate };
          log.info({ evidence }, 'regression run measured');
          return evidence;
        } finally {
          if (started.length)
            await fleet
              .decommission(run.accountId, started)
              .catch((error: unknown) =>
                log.warn({ err: error, instances: started }, 'regression instances not decommissioned'),
              );
        }
      });
    },
  };
}

/** One side: provisioned, ready, sent the sample; or why it never became ready. */
async function measureSide(
  fleet: FleetProvider,
  run: RegressionRun,
  side: 'baseline' | 'candidate',
  version: string,
  sample: FeatureRequest[],
  started: string[],
): Promise<WorkloadMeasure | { notStarted: string }> {
  const instances = await fleetCall(`provision the ${side}`, () =>
    fleet.provision({ accountId: run.accountId, version, count: 1, requestId: regressionRequestId(run, side) }),
  );
  const ids = instances.map((i) => i.instanceId);
  started.push(...ids);
  const ready = await awaitReady(fleet, run, ids);
  if (ready !== true) return { notStarted: ready };
  const answers = await fleetCall(`sample workload to the ${side}`, () =>
    fleet.probe(run.accountId, { instanceIds: ids }, sample),
  );
  return measureWorkload(version, answers);
}

async function awaitReady(fleet: FleetProvider, run: RegressionRun, ids: string[]): Promise<true | string> {
  const deadline = Date.now() + run.readinessTimeoutMs;
  for (;;) {
    const states: InstanceInfo[] = await fleetCall('poll readiness', () => fleet.instances(run.accountId, ids));
    const failed = states.find((i) => i.state === 'failed' || i.state === 'stopped');
    if (failed) return `${failed.instanceId} ${failed.state}${failed.error ? ` (${failed.error})` : ''}`;
    if (states.length === ids.length && states.every((i) => i.ready && i.state === 'ready')) return true;
    if (Date.now() >= deadline) return `not ready after ${run.readinessTimeoutMs}ms`;
    await sleep(POLL_MS);
  }
}
