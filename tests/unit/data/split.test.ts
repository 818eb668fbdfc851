import { describe, expect, it } from 'vitest';
import { countByClass } from '../../../src/lib/data/imageSet.ts';
import { createRandom, deriveSeed, shuffledIndices } from '../../../src/lib/data/random.ts';
import { stratifiedSample, stratifiedSplit } from '../../../src/lib/data/split.ts';

const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : i < 800 ? 1 : 2)); // 500/300/200

describe('random', () => {
  it('is reproducible per seed and differs between seeds', () => {
    const a = Array.from({ length: 5 }, createRandom(7).next);
    expect(Array.from({ length: 5 }, createRandom(7).next)).toEqual(a);
    expect(Array.from({ length: 5 }, createRandom(8).next)).not.toEqual(a);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(deriveSeed(1, 'order', 0)).not.toBe(deriveSeed(1, 'order', 1));
  });

  it('shuffles into a permutation', () => {
    const p = shuffledIndices(100, 3);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('stratifiedSplit', () => {
  it('keeps class proportions on both sides and partitions the indices', () => {
    const { train, test } = stratifiedSplit(labels, 0.2, 1);
    expect(
      countByClass(
        Array.from(test, (i) => labels[i]),
        3,
      ),
    ).toEqual([100, 60, 40]);
    expect(
      countByClass(
        Array.from(train, (i) => labels[i]),
        3,
      ),
    ).toEqual([400, 240, 160]);
    expect(new Set([...train, ...test]).size).toBe(1000);
  });

  it('is seeded', () => {
    expect(Array.from(stratifiedSplit(labels, 0.2, 1).test)).toEqual(
      Array.from(stratifiedSplit(labels, 0.2, 1).test),
    );
    expect(Array.from(stratifiedSplit(labels, 0.2, 1).test)).not.toEqual(
      Array.from(stratifiedSplit(labels, 0.2, 2).test),
    );
  });

  it('rejects a bad fraction', () => {
    expect(() => stratifiedSplit(labels, 1, 0)).toThrow(
      'invalid testFraction: 1 (expected a number in [0, 1))',
    );
  });
});

describe('stratifiedSample', () => {
  it('takes the requested count with the whole set’s proportions', () => {
    const sample = stratifiedSample(labels, 101, 0);
    expect(sample.length).toBe(101);
    expect(new Set(sample).size).toBe(101);
    const counts = countByClass(
      Array.from(sample, (i) => labels[i]),
      3,
    );
    expect(counts).toEqual([51, 30, 20]); // exact 50.5/30.3/20.2, the largest remainder gets the spare one
  });
});
