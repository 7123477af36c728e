/**
 * A small seeded pseudo-random generator (mulberry32): the chaos run draws every random moment
 * from it, so the same seed gives the same schedule of faults.
 */
export interface Prng {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick(items) {
      if (items.length === 0) throw new Error('nothing to pick from');
      return items[Math.floor(next() * items.length)];
    },
  };
}

/** A fresh seed when none is given: any 32-bit unsigned integer. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4_294_967_296);
}
