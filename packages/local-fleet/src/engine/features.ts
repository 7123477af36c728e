/**
 * Feature values an engine serves: a pure function of (use case, entity, lineage). Versions of
 * the same lineage serve identical values, so a canary comparing green with blue agrees unless
 * a fault is injected. Everything here is deterministic and cheap (no crypto, no I/O).
 */

interface FeatureDefinition {
  name: string;
  /** Values fall in [min, max); `decimals` digits are kept. */
  min: number;
  max: number;
  decimals: number;
}

const probability = (name: string): FeatureDefinition => ({ name, min: 0, max: 1, decimals: 4 });

const FEATURES_BY_USE_CASE: Record<string, FeatureDefinition[]> = {
  'fraud-score': [probability('score'), probability('velocity'), probability('deviceRisk')],
  recommendations: [probability('affinity'), probability('novelty'), { name: 'rank', min: 1, max: 100, decimals: 0 }],
  'credit-limit': [
    { name: 'limit', min: 500, max: 50_000, decimals: 0 },
    probability('utilization'),
    { name: 'riskGrade', min: 1, max: 10, decimals: 0 },
  ],
  'churn-risk': [
    probability('probability'),
    probability('engagement'),
    { name: 'tenureMonths', min: 0, max: 120, decimals: 0 },
  ],
};

const GENERIC_FEATURES = [probability('score'), probability('signal'), probability('confidence')];

export function featureDefinitions(useCase: string): FeatureDefinition[] {
  return FEATURES_BY_USE_CASE[useCase] ?? GENERIC_FEATURES;
}

/** 32-bit FNV-1a, finished with murmur3's fmix32 so that similar texts ("e-1", "e-2") spread evenly. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A stable number in [0, 1) for the given text. */
export function unitHash(text: string): number {
  return hash32(text) / 0x1_0000_0000;
}

export function computeFeatures(useCase: string, entity: string, lineage: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const feature of featureDefinitions(useCase)) {
    const unit = unitHash(`${lineage}|${useCase}|${entity}|${feature.name}`);
    const scale = 10 ** feature.decimals;
    values[feature.name] = Math.floor((feature.min + unit * (feature.max - feature.min)) * scale) / scale;
  }
  return values;
}

/** Whether a `wrong-values` fault of this fraction corrupts this entity: the same entities every time. */
export function isEntityCorrupted(version: string, entity: string, fraction: number): boolean {
  return unitHash(`wrong-values|${version}|${entity}`) < fraction;
}

/** What a faulty version serves for a corrupted entity: plausible, but different. */
export function corruptedFeatures(useCase: string, entity: string, lineage: string): Record<string, number> {
  return computeFeatures(useCase, entity, `${lineage}#corrupted`);
}
