/**
 * The waiting activities judge green only on what they could see: time the fleet did not answer
 * (or the router could not be reached at all) does not count toward the watch or the readiness
 * timeout, it extends them, and the state they carry (heartbeat details, `resume`) says so. An
 * attempt that fails because the fleet does not answer leaves that in its heartbeat details.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createDeploymentActivities } from '../../../src/activities/deployment';
import type { FeatureAnswer } from '../../../src/platform/provider';
import { FleetError } from '../../../src/platform/provider';
import { createLogger } from '../../../src/logging/logger';
import { FakeFleet } from '../../support/fake-fleet';

const ctx = { accountId: 'acme', version: '2.0' };
const unavailable = () => new FleetError('fleet daemon could not be reached: ECONNREFUSED', 0, true);

function setup(heartbeatDetails?: unknown) {
  const fleet = new FakeFleet().addVersion('1.0').addVersion('2.0');
  fleet.addAccount({ accountId: 'acme', useCases: ['fraud-score'], instanceCount: 1 }, '1.0');
  const activities = createDeploymentActivities({ fleet, logger: createLogger('silent') });
  const mock = new MockActivityEnvironment(
    { activityType: 'test', ...(heartbeatDetails !== undefined ? { heartbeatDetails } : {}) },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  const beats: unknown[] = [];
  mock.on('heartbeat', (details: unknown) => beats.push(details));
  const run = <I, R>(fn: (input: I) => Promise<R>, input: I): Promise<R> => mock.run(fn, input) as Promise<R>;
  return { fleet, activities, run, beats };
}

const watchInput = {
  ...ctx,
  useCases: ['fraud-score'],
  durationMs: 1000,
  probesPerSecond: 10,
  maxErrorRate: 0.02,
  maxP99Ms: 250,
  seed: 'w',
};

describe('the watch counts only what reached the account', () => {
  it('a probe batch the fleet cannot be asked for is not judged: the watch is extended and passes', async () => {
    const { fleet, activities, run } = setup();
    const probe = fleet.probe.bind(fleet);
    let failures = 2;
    fleet.probe = (...args) => (failures-- > 0 ? Promise.reject(unavailable()) : probe(...args));
    const started = Date.now();
    const { report } = await run(activities.watchGreen, watchInput);
    expect(report).toMatchObject({ check: 'watch', verdict: 'passed' });
    expect(report.evidence.probes).toBeLessThanOrEqual(12); // ~1 s of probes at 10/s, the blind batches left out
    expect(report.evidence.errors).toBe(0);
    expect(report.evidence.unobservedMs).toBeGreaterThan(0);
    expect(report.evidence.observedMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500); // extended by the blind time
  });

  it('a batch none of whose probes could connect to the router does not count; errors of green do', async () => {
    const { fleet, activities, run } = setup();
    const refused = (requests: { useCase: string; entity: string }[]): FeatureAnswer[] =>
      requests.map((request) => ({ request, ok: false, status: 0, latencyMs: 0, error: 'ECONNREFUSED' }));
    const probe = fleet.probe.bind(fleet);
    let refusals = 1;
    fleet.probe = (accountId, target, requests) =>
      refusals-- > 0 ? Promise.resolve(refused(requests)) : probe(accountId, target, requests);
    const { report } = await run(activities.watchGreen, watchInput);
    expect(report).toMatchObject({ verdict: 'passed', evidence: { errors: 0 } });

    const failing = setup();
    failing.fleet.probe = (_accountId, _target, requests) =>
      Promise.resolve(requests.map((request) => ({ request, ok: false, status: 500, latencyMs: 2, error: 'boom' })));
    const error = await failing.run(failing.activities.watchGreen, watchInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'WatchBreached', nonRetryable: true });
  });

  it('goes on from the progress of an earlier call (resume) or attempt (heartbeat details)', async () => {
    const tally = { sent: 9, errors: 0, latencies: Array(9).fill(3), errorExamples: [] };
    const earlier = { tally, observedMs: 950, unobservedMs: 20_000 };
    const fromResume = setup();
    const resumed = await fromResume.run(fromResume.activities.watchGreen, { ...watchInput, resume: earlier });
    expect(resumed.report.evidence).toMatchObject({ unobservedMs: 20_000 });
    expect(resumed.report.evidence.probes).toBeGreaterThanOrEqual(10);
    expect(resumed.report.evidence.probes).toBeLessThanOrEqual(12);

    // A watch that heartbeated in the earlier shape (everything observed) resumes too.
    const fromHeartbeat = setup({ tally, elapsedMs: 950 });
    const again = await fromHeartbeat.run(fromHeartbeat.activities.watchGreen, watchInput);
    expect(again.report.evidence.probes).toBeLessThanOrEqual(12);
  });

  it('heartbeats whether, since when and why it cannot see the account', async () => {
    const { fleet, activities, run, beats } = setup();
    const probe = fleet.probe.bind(fleet);
    let failures = 2;
    fleet.probe = (...args) => (failures-- > 0 ? Promise.reject(unavailable()) : probe(...args));
    await run(activities.watchGreen, watchInput);
    const blind = beats.map((b) => (b as { blind?: { cause: string; detail: string } }).blind).find(Boolean);
    expect(blind).toMatchObject({ cause: 'fleet unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('the readiness wait counts only the time it could see the fleet', () => {
  it('is not judged never-ready for time the fleet did not answer', async () => {
    const { fleet, activities, run } = setup();
    const [green] = await run(activities.provisionGreen, { ...ctx, count: 1, requestId: 'g' });
    const instances = fleet.instances.bind(fleet);
    let failures = 2; // ~2 s blind, more than the 300 ms timeout
    fleet.instances = (...args) => (failures-- > 0 ? Promise.reject(unavailable()) : instances(...args));
    const report = await run(activities.awaitGreenReady, { ...ctx, instanceIds: [green], timeoutMs: 300 });
    expect(report).toMatchObject({ check: 'initialization', verdict: 'passed' });
    expect(report.evidence.unobservedMs).toBeGreaterThanOrEqual(1000);
  });

  it('still fails green that does not become ready within the observed time', async () => {
    const { fleet, activities, run } = setup();
    const [green] = await run(activities.provisionGreen, { ...ctx, count: 1, requestId: 'g' });
    const instances = fleet.instances.bind(fleet);
    fleet.instances = async (...args) =>
      (await instances(...args)).map((i) => ({ ...i, state: 'starting' as const, ready: false }));
    const error = await run(activities.awaitGreenReady, { ...ctx, instanceIds: [green], timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ type: 'ValidationFailed', nonRetryable: true });
    expect((error as ApplicationFailure).message).toMatch(/not ready after 300ms/);
  });
});

describe('an attempt the fleet did not answer', () => {
  it('fails retryable (FleetUnavailable) and leaves why and since when in its heartbeat details', async () => {
    const { fleet, activities, run, beats } = setup();
    fleet.setPool = () => Promise.reject(unavailable());
    const error = await run(activities.promoteGreen, { ...ctx, instanceIds: ['g1'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'FleetUnavailable', nonRetryable: false });
    expect(beats.at(-1)).toMatchObject({
      blind: { since: expect.any(Number), cause: 'fleet unreachable', detail: expect.stringMatching(/ECONNREFUSED/) },
    });
  });

  it('carries what earlier attempts found until one gets through', async () => {
    const earlier = { blind: { since: 1_000, cause: 'fleet unreachable', detail: 'ECONNREFUSED' } };
    const { fleet, activities, run, beats } = setup(earlier);
    // Unanswered for over a second: the beat on the way carries the earlier attempts' blindness.
    fleet.setPool = () => new Promise((_, reject) => setTimeout(() => reject(unavailable()), 1_300));
    await run(activities.promoteGreen, { ...ctx, instanceIds: ['g1'] }).catch(() => undefined);
    expect(beats[0]).toEqual(earlier);
    expect(beats.at(-1)).toMatchObject({ blind: { since: 1_000 } });
  });

  it("an attempt that fails at once leaves the earlier attempts' since in its one beat", async () => {
    const earlier = { blind: { since: 1_000, cause: 'fleet unreachable', detail: 'ECONNREFUSED' } };
    const { fleet, activities, run, beats } = setup(earlier);
    fleet.setPool = () => Promise.reject(unavailable());
    await run(activities.promoteGreen, { ...ctx, instanceIds: ['g1'] }).catch(() => undefined);
    expect(beats).toEqual([
      { blind: { since: 1_000, cause: 'fleet unreachable', detail: expect.stringMatching(/ECONNREFUSED/) } },
    ]);
  });
});

describe('heartbeats', () => {
  it('a call the fleet answers within a second sends none: each beat is a request to the server', async () => {
    const { fleet, activities, run, beats } = setup();
    fleet.setPool = (accountId) => fleet.accountState(accountId);
    await run(activities.promoteGreen, { ...ctx, instanceIds: ['g1'] });
    expect(beats).toHaveLength(0);
  });

  it('a call that runs longer beats every second', async () => {
    const { fleet, activities, run, beats } = setup();
    fleet.setPool = async (accountId) => {
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      return fleet.accountState(accountId);
    };
    await run(activities.promoteGreen, { ...ctx, instanceIds: ['g1'] });
    expect(beats).toHaveLength(2);
  });
});
