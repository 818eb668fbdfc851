import { createRandom, shuffleInPlace } from './random.ts';

/** Indices of a train/test split. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Splits example indices into train and test with the same class proportions in both (each class
 * shuffled with the seed, then cut at `testFraction`), then shuffles each side. At least one example
 * of each class stays in train.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, seed: number): SplitIndices {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new Error(`invalid testFraction: ${testFraction} (expected a number in [0, 1))`);
  }
  const random = createRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of groupByClass(labels)) {
    shuffleInPlace(members, random);
    const testCount = Math.min(Math.round(members.length * testFraction), members.length - 1);
    test.push(...members.slice(0, testCount));
    train.push(...members.slice(testCount));
  }
  return {
    train: shuffleInPlace(Int32Array.from(train), random),
    test: shuffleInPlace(Int32Array.from(test), random),
  };
}

/**
 * Picks `count` example indices with class proportions as close as possible to the whole set's
 * (largest remainder per class), seeded, in shuffled order. Used to cut the 10k-image lesson subset
 * out of Fashion-MNIST's 60k training images.
 */
export function stratifiedSample(labels: ArrayLike<number>, count: number, seed: number): Int32Array {
  if (!(Number.isInteger(count) && count >= 0 && count <= labels.length)) {
    throw new Error(`invalid sample size: ${count} (expected an integer from 0 to ${labels.length})`);
  }
  const random = createRandom(seed);
  const groups = groupByClass(labels);
  const exact = groups.map((g) => (g.length * count) / labels.length);
  const take = exact.map(Math.floor);
  let missing = count - take.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, c) => ({ c, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (missing === 0) break;
    if (take[c] < groups[c].length) {
      take[c]++;
      missing--;
    }
  }
  const picked: number[] = [];
  groups.forEach((members, c) => picked.push(...shuffleInPlace(members, random).slice(0, take[c])));
  return shuffleInPlace(Int32Array.from(picked), random);
}

function groupByClass(labels: ArrayLike<number>): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < labels.length; i++) (groups[labels[i]] ??= []).push(i);
  return Array.from(groups, (g) => g ?? []);
}
