import { HttpError } from '../../src/http';
import { AccountRegistry } from '../../src/registry';
import { VersionCatalogue } from '../../src/versions';

const published = { channel: 'stable', publishedAt: '2026-11-17T09:00:00.000Z' } as const;

describe('version catalogue', () => {
  it('answers 404 for an unknown version, naming the known ones', () => {
    const catalogue = new VersionCatalogue([{ version: '1.0.0', lineage: 'v1', initMs: 10, ...published }]);
    expect(() => catalogue.get('2.0.0')).toThrow(HttpError);
    try {
      catalogue.get('2.0.0');
    } catch (error) {
      expect((error as HttpError).status).toBe(404);
      expect((error as HttpError).message).toContain('version 2.0.0 does not exist');
      expect((error as HttpError).message).toContain('1.0.0');
    }
  });

  it('merges changes and clears a fault with null', () => {
    const catalogue = new VersionCatalogue([{ version: '1.0.0', lineage: 'v1', initMs: 10, ...published }]);
    expect(catalogue.upsert('1.0.0', { fault: { type: 'never-ready' } })).toEqual({
      spec: { version: '1.0.0', lineage: 'v1', initMs: 10, ...published, fault: { type: 'never-ready' } },
      created: false,
    });
    expect(catalogue.upsert('1.0.0', { initMs: 20 }).spec.fault).toEqual({ type: 'never-ready' });
    expect(catalogue.upsert('1.0.0', { fault: null }).spec).toEqual({
      version: '1.0.0',
      lineage: 'v1',
      initMs: 20,
      ...published,
    });
    expect(catalogue.upsert('2.0.0', {})).toEqual({
      spec: { version: '2.0.0', lineage: 'v1', initMs: 500, channel: 'stable', publishedAt: expect.any(String) },
      created: true,
    });
  });

  it("keeps a version's channel and publication time until a change gives new ones", () => {
    const catalogue = new VersionCatalogue([{ version: '1.0.0', lineage: 'v1', initMs: 10, ...published }]);
    expect(catalogue.upsert('1.0.0', { initMs: 20 }).spec).toMatchObject(published);
    expect(catalogue.upsert('1.0.0', { channel: 'candidate', publishedAt: '2026-11-18T09:00:00.000Z' }).spec).toEqual(
      expect.objectContaining({ channel: 'candidate', publishedAt: '2026-11-18T09:00:00.000Z' }),
    );
    const before = Date.now();
    const created = catalogue.upsert('2.0.0', {}).spec;
    expect(created.channel).toBe('stable');
    expect(Date.parse(created.publishedAt)).toBeGreaterThanOrEqual(before);
  });
});

describe('account registry', () => {
  it('tells clients to come back when the maintenance window ends', () => {
    const registry = new AccountRegistry();
    const now = Date.parse('2026-11-23T02:00:00Z');
    registry.put({
      accountId: 'a',
      earlyAccess: false,
      useCases: ['fraud-score'],
      instanceCount: 1,
      maintenanceWindow: { start: '2026-11-23T01:00:00Z', end: '2026-11-23T02:10:00Z' },
    });
    registry.put({ accountId: 'b', earlyAccess: false, useCases: ['fraud-score'], instanceCount: 1 });
    expect(registry.secondsUntilWindowEnds('a', now)).toBe(600);
    expect(registry.secondsUntilWindowEnds('b', now)).toBe(120);
    expect(() => registry.get('c')).toThrow('account c does not exist');
  });
});
