/** One real-time get-feature request (structurally the fleet's FeatureRequest). */
export interface SampleRequest {
  useCase: string;
  entity: string;
}

/**
 * Picks sample requests for the canary and the post-promotion watch: `size` requests spread
 * evenly over the account's use cases (round-robin), each for an entity chosen by a seeded
 * pseudo-random generator, so the same seed always gives the same sample (a retried canary
 * asks the same questions) and green and blue are asked exactly the same things.
 */
export function pickSampleRequests(options: {
  useCases: readonly string[];
  size: number;
  seed: string;
  entityPool?: number;
}): SampleRequest[] {
  const { useCases, size, seed } = options;
  const entityPool = options.entityPool ?? 10_000;
  if (useCases.length === 0 || size <= 0) return [];
  const random = seededRandom(seed);
  const requests: SampleRequest[] = [];
  for (let i = 0; i < size; i++) {
    const useCase = useCases[i % useCases.length];
    const entity = `entity-${Math.floor(random() * entityPool)}`;
    requests.push({ useCase, entity });
  }
  return requests;
}

/** Deterministic PRNG (mulberry32 seeded by an FNV-1a hash of the seed text). */
export function seededRandom(seed: string): () => number {
  let state = fnv1a(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
