/** The chaos run's schedule is drawn from its seed: the same seed replays it, and it keeps its promises. */
import { ChaosOptionsSchema, parseChaosArgs } from '../../../src/dev-stack/chaos/options';
import { planFaults, type PlanAccount } from '../../../src/dev-stack/chaos/plan';
import { createPrng } from '../../../src/dev-stack/chaos/prng';

const ACCOUNTS: PlanAccount[] = [
  { accountId: 'acme', earlyAccess: true },
  { accountId: 'globex', earlyAccess: true },
  { accountId: 'hooli', earlyAccess: false },
  { accountId: 'stark', earlyAccess: false },
  { accountId: 'wonka', earlyAccess: false },
];
const FULL = ChaosOptionsSchema.parse({});

describe('the seeded generator', () => {
  it('gives the same numbers for the same seed, and others for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createPrng(seed).next);
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const value of draw(7)) expect(value >= 0 && value < 1).toBe(true);
  });

  it('draws integers within both bounds', () => {
    const prng = createPrng(1);
    const seen = new Set(Array.from({ length: 500 }, () => prng.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });
});

describe('planFaults', () => {
  it('replays the same plan from the same seed', () => {
    expect(planFaults(1234, FULL, ACCOUNTS)).toEqual(planFaults(1234, FULL, ACCOUNTS));
    expect(planFaults(1234, FULL, ACCOUNTS)).not.toEqual(planFaults(4321, FULL, ACCOUNTS));
  });

  it.each([1, 2, 3, 99, 4_000_000_000])('plans the full run within its bounds (seed %d)', (seed) => {
    const plan = planFaults(seed, FULL, ACCOUNTS);
    const window = 2 * FULL.stageLength;

    expect(plan.workerUptimesMs).toHaveLength(20);
    for (const uptime of plan.workerUptimesMs) {
      expect(uptime).toBeGreaterThanOrEqual(FULL.workerUptimeMin);
      expect(uptime).toBeLessThanOrEqual(FULL.workerUptimeMax);
    }
    expect(plan.serverKills).toHaveLength(1);
    expect(plan.serverKills[0].atMs).toBeLessThanOrEqual(window);

    const long = plan.outages.filter((outage) => outage.kind === 'long');
    expect(long).toEqual([expect.objectContaining({ durationMs: 60_000 })]);
    expect(long[0].atMs).toBeLessThanOrEqual(window);
    expect(plan.outages.filter((outage) => outage.kind === 'short')).toHaveLength(4);
    for (let n = 1; n < plan.outages.length; n++) {
      const before = plan.outages[n - 1];
      expect(plan.outages[n].atMs).toBeGreaterThanOrEqual(before.atMs + before.durationMs);
    }

    const waveTwo = ['hooli', 'stark', 'wonka'];
    expect(waveTwo).toContain(plan.loadAccount);
    expect(waveTwo).toContain(plan.engineCrashAccount);
    expect(plan.engineCrashAccount).not.toBe(plan.loadAccount);
  });

  it('plans no engine crash, server kill or long outage when told not to', () => {
    const options = ChaosOptionsSchema.parse({ engineCrashes: 0, serverKills: 0, longOutage: 0, shortOutages: 2 });
    const plan = planFaults(5, options, ACCOUNTS);
    expect(plan.engineCrashAccount).toBeUndefined();
    expect(plan.serverKills).toEqual([]);
    expect(plan.outages.map((outage) => outage.kind)).toEqual(['short', 'short']);
  });

  it('needs two wave-2 accounts: one under load, another for the engine crash', () => {
    expect(() => planFaults(1, FULL, ACCOUNTS.slice(0, 3))).toThrow(/two wave-2 accounts/);
  });
});

describe('parseChaosArgs', () => {
  it('reads the flags of a shorter run', () => {
    const options = parseChaosArgs([
      '--seed',
      '7',
      '--worker-kills',
      '5',
      '--stage-length',
      '10s',
      '--long-outage',
      '15s',
    ]);
    expect(options).toMatchObject({
      seed: 7,
      workerKills: 5,
      stageLength: 10_000,
      longOutage: 15_000,
      shortOutages: 4,
    });
  });

  it('names the flag to fix', () => {
    expect(() => parseChaosArgs(['--stage-length', 'soon'])).toThrow(/--stage-length: "soon" is not a duration/);
    expect(() => parseChaosArgs(['--worker-uptime-min', '9s', '--worker-uptime-max', '1s'])).toThrow(
      /--worker-uptime-min: worker-uptime-min must not exceed worker-uptime-max/,
    );
    expect(() => parseChaosArgs(['--no-such-flag', '1'])).toThrow(/no-such-flag/);
  });
});
