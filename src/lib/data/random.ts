/** A seeded pseudo-random stream: the same seed gives the same numbers in Node and every browser. */
export interface Random {
  /** Returns a float in [0, 1). */
  next(): number;
  /** Returns an integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * Creates a seeded random stream (mulberry32: 32-bit state, fast, good enough for shuffling and
 * augmentation; not for cryptography).
 */
export function createRandom(seed: number): Random {
  let state = mixSeed(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, nextInt: (n) => Math.floor(next() * n) };
}

/**
 * Derives an independent seed from a seed and salts (an epoch number, a purpose), so each epoch's
 * order is reproducible on its own without replaying earlier epochs.
 */
export function deriveSeed(seed: number, ...salts: (number | string)[]): number {
  let h = mixSeed(seed);
  for (const salt of salts) {
    const value = typeof salt === 'number' ? salt : hashString(salt);
    h = mixSeed((h ^ Math.imul(value | 0, 0x9e3779b1)) >>> 0);
  }
  return h >>> 0;
}

/** Returns a seeded permutation of 0..n-1 (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffleInPlace(indices, createRandom(seed));
  return indices;
}

/** Shuffles an array in place with a seeded stream (Fisher–Yates). */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  items: T,
  random: Random,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}

// splitmix32 finaliser: spreads nearby seeds (0, 1, 2) to unrelated states.
function mixSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
