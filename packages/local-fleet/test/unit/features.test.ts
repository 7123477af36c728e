import { computeFeatures, corruptedFeatures, featureDefinitions, isEntityCorrupted } from '../../src/engine/features';
import { failsThisRequest } from '../../src/engine/engine-server';

describe('feature values', () => {
  it('are a deterministic function of use case, entity and lineage', () => {
    expect(computeFeatures('fraud-score', 'e-1', 'v1')).toEqual(computeFeatures('fraud-score', 'e-1', 'v1'));
    expect(computeFeatures('fraud-score', 'e-1', 'v1')).not.toEqual(computeFeatures('fraud-score', 'e-2', 'v1'));
    expect(computeFeatures('fraud-score', 'e-1', 'v1')).not.toEqual(computeFeatures('fraud-score', 'e-1', 'v2'));
  });

  it('name the features of each known use case and stay in range', () => {
    expect(Object.keys(computeFeatures('credit-limit', 'e-9', 'v1'))).toEqual(['limit', 'utilization', 'riskGrade']);
    expect(Object.keys(computeFeatures('something-else', 'e-9', 'v1'))).toEqual(['score', 'signal', 'confidence']);
    for (let i = 0; i < 200; i++) {
      const values = computeFeatures('credit-limit', `e-${i}`, 'v1');
      expect(values.limit).toBeGreaterThanOrEqual(500);
      expect(values.limit).toBeLessThan(50_000);
      expect(Number.isInteger(values.riskGrade)).toBe(true);
      expect(values.utilization).toBeGreaterThanOrEqual(0);
      expect(values.utilization).toBeLessThan(1);
    }
    expect(featureDefinitions('fraud-score').map((f) => f.name)).toEqual(['score', 'velocity', 'deviceRisk']);
  });

  it('corrupts a stable, hash-selected fraction of entities', () => {
    const entities = Array.from({ length: 2000 }, (_, i) => `e-${i}`);
    const corrupted = entities.filter((entity) => isEntityCorrupted('2026.47.0-bad', entity, 0.3));
    expect(corrupted.length / entities.length).toBeGreaterThan(0.25);
    expect(corrupted.length / entities.length).toBeLessThan(0.35);
    expect(entities.filter((entity) => isEntityCorrupted('2026.47.0-bad', entity, 0.3))).toEqual(corrupted);
    expect(entities.filter((entity) => isEntityCorrupted('2026.47.0-bad', entity, 1))).toHaveLength(2000);
    for (const entity of corrupted.slice(0, 50)) {
      expect(corruptedFeatures('fraud-score', entity, 'v1')).not.toEqual(computeFeatures('fraud-score', entity, 'v1'));
    }
  });
});

describe('failsThisRequest', () => {
  it.each([0.5, 0.25, 0.1, 1])('fails exactly %p of the requests, spread evenly', (rate) => {
    const failures = Array.from({ length: 100 }, (_, n) => failsThisRequest(n, rate)).filter(Boolean).length;
    expect(failures).toBe(Math.round(100 * rate));
  });
});
