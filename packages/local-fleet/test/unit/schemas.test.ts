import { FaultSchema } from '../../src/faults';
import { MaintenanceBodySchema, ProbeBodySchema, ProvisionBodySchema, SeedSchema, TimeSchema } from '../../src/schemas';
import { DEMO_SEED_PATH, loadSeedFile, parseSeed, SeedError } from '../../src/seed';

describe('fault schema', () => {
  it('fills in default parameters', () => {
    expect(FaultSchema.parse({ type: 'wrong-values' })).toEqual({ type: 'wrong-values', fraction: 0.3 });
    expect(FaultSchema.parse({ type: 'errors-after-promotion' })).toEqual({
      type: 'errors-after-promotion',
      rate: 0.5,
    });
    expect(FaultSchema.parse({ type: 'slow-after-promotion' })).toEqual({ type: 'slow-after-promotion', delayMs: 400 });
  });

  it('names the valid fault types when the type is wrong', () => {
    const result = FaultSchema.safeParse({ type: 'explodes' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain(
      'fails-to-start, never-ready, wrong-values, errors-after-promotion, slow-after-promotion',
    );
  });

  it('refuses out-of-range parameters and unknown fields', () => {
    expect(FaultSchema.safeParse({ type: 'wrong-values', fraction: 1.5 }).success).toBe(false);
    expect(FaultSchema.safeParse({ type: 'never-ready', extra: 1 }).success).toBe(false);
  });
});

describe('a version spec', () => {
  it('is stable and published when read unless it says otherwise', () => {
    const before = Date.now();
    const seed = SeedSchema.parse({
      versions: [{ version: '1.0.0' }, { version: '1.1.0', channel: 'candidate', publishedAt: '-1 day' }],
    });
    expect(seed.versions[0].channel).toBe('stable');
    expect(Date.parse(seed.versions[0].publishedAt)).toBeGreaterThanOrEqual(before);
    expect(seed.versions[1].channel).toBe('candidate');
    expect(Date.parse(seed.versions[1].publishedAt)).toBeLessThan(before);
  });

  it('names the channels when one is wrong', () => {
    const result = SeedSchema.safeParse({ versions: [{ version: '1.0.0', channel: 'beta' }] });
    expect(result.error?.issues[0].message).toBe('channel must be "candidate" or "stable"');
  });
});

describe('the demo seed', () => {
  const seed = loadSeedFile(DEMO_SEED_PATH);

  it('has about ten accounts, two or three of them early-access, all booted at a catalogued version', () => {
    expect(seed.accounts.length).toBeGreaterThanOrEqual(8);
    const early = seed.accounts.filter((account) => account.earlyAccess);
    expect(early.length).toBeGreaterThanOrEqual(2);
    expect(early.length).toBeLessThanOrEqual(3);
    expect(seed.accounts.some((account) => account.maintenanceWindow)).toBe(true);
    const versions = new Set(seed.versions.map((spec) => spec.version));
    for (const account of seed.accounts) expect(versions.has(account.currentVersion!)).toBe(true);
  });

  it('has the healthy release versions and one faulty version per fault', () => {
    const byVersion = new Map(seed.versions.map((spec) => [spec.version, spec]));
    for (const healthy of ['2026.46.0', '2026.47.0', '2026.47.1'])
      expect(byVersion.get(healthy)?.fault).toBeUndefined();
    const faults = seed.versions.flatMap((spec) => (spec.fault ? [spec.fault.type] : []));
    expect(faults.sort()).toEqual([
      'errors-after-promotion',
      'fails-to-start',
      'never-ready',
      'slow-after-promotion',
      'wrong-values',
    ]);
  });

  it('offers the release train one newer stable version than the running one, and a candidate it must not take', () => {
    const byVersion = new Map(seed.versions.map((spec) => [spec.version, spec]));
    const running = byVersion.get('2026.46.0')!;
    const newest = byVersion.get('2026.47.1')!;
    expect([running.channel, newest.channel]).toEqual(['stable', 'stable']);
    expect(Date.parse(newest.publishedAt)).toBeGreaterThan(Date.parse(running.publishedAt));
    expect(byVersion.get('2027.1.0')!.channel).toBe('candidate');
    for (const spec of seed.versions) if (spec.fault) expect(spec.channel).toBe('candidate');
  });

  it('resolves relative maintenance windows when loaded', () => {
    const umbrella = seed.accounts.find((account) => account.accountId === 'umbrella')!;
    const { start, end } = umbrella.maintenanceWindow!;
    expect(Date.parse(end) - Date.parse(start)).toBe(4 * 3_600_000);
  });
});

describe('seed validation', () => {
  it('reports every problem with its path', () => {
    expect(() =>
      parseSeed({
        versions: [{ version: '1.0.0' }],
        accounts: [
          { accountId: 'a', useCases: ['fraud-score'], currentVersion: '9.9.9' },
          { accountId: 'a', useCases: [] },
        ],
      }),
    ).toThrow(SeedError);
    const result = SeedSchema.safeParse({
      versions: [{ version: '1.0.0' }],
      accounts: [
        { accountId: 'a', useCases: ['fraud-score'], currentVersion: '9.9.9' },
        { accountId: 'a', useCases: ['Fraud Score'] },
      ],
    });
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['accounts.0.currentVersion', 'accounts.1.useCases.0']));
  });

  it('accepts ISO, "now" and relative times, and refuses other text', () => {
    expect(TimeSchema.parse('2026-11-23T02:00:00Z')).toBe('2026-11-23T02:00:00.000Z');
    const now = Date.now();
    expect(Math.abs(Date.parse(TimeSchema.parse('+2h')) - (now + 7_200_000))).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(TimeSchema.parse('now')) - now)).toBeLessThan(5_000);
    expect(TimeSchema.safeParse('tomorrow-ish').error?.issues[0].message).toContain('is not a time');
  });
});

describe('API bodies', () => {
  it('provision needs a version, a count and a requestId', () => {
    const issues = ProvisionBodySchema.safeParse({ version: 'not a version', count: 0 }).error?.issues ?? [];
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['count', 'requestId', 'version']);
  });

  it('maintenance mode is {enabled:false} or {enabled:true, forwardTo?}', () => {
    expect(MaintenanceBodySchema.parse({ enabled: true })).toEqual({ enabled: true });
    expect(MaintenanceBodySchema.parse({ enabled: true, forwardTo: 'http://127.0.0.1:9/x' }).enabled).toBe(true);
    expect(MaintenanceBodySchema.safeParse({ enabled: true, forwardTo: 'ftp://x' }).success).toBe(false);
    expect(MaintenanceBodySchema.safeParse({ enabled: 'yes' }).error?.issues[0].message).toContain(
      '{"enabled": false}',
    );
  });

  it('a probe targets instances or the router', () => {
    expect(
      ProbeBodySchema.parse({ target: { router: true }, requests: [{ useCase: 'fraud-score', entity: 'e' }] })
        .timeoutMs,
    ).toBe(5_000);
    expect(ProbeBodySchema.safeParse({ target: {}, requests: [{ useCase: 'fraud-score', entity: 'e' }] }).success).toBe(
      false,
    );
    expect(ProbeBodySchema.safeParse({ target: { router: true }, requests: [] }).success).toBe(false);
  });
});
