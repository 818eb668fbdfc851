import { describe, expect, test } from 'vitest';
import { comparisonProgress, describeRemaining } from '../../../src/cells/display/trainingProgress.ts';

describe('training progress', () => {
  test('never says 0:00 while work remains', () => {
    expect(describeRemaining(null)).toBe('');
    expect(describeRemaining(400)).toBe('finishing');
    expect(describeRemaining(65_000)).toBe('about 1:05 left');
  });

  test('a comparison says which variant of how many, and the time left for all of them', () => {
    const variants = ['a', 'b', 'c', 'd'];
    // Variant b half done after 10 s, a took 20 s: 1.5 of 4 variants in 30 s → 50 s left.
    expect(
      comparisonProgress(variants, { variant: 'b', step: 50, totalSteps: 100, elapsedMs: 10_000 }, 20_000),
    ).toEqual({
      label: 'variant 2 of 4',
      remainingMs: 50_000,
    });
    expect(comparisonProgress(['a'], { variant: 'a', step: 1, totalSteps: 2, elapsedMs: 1 }, 0)).toBeNull();
    expect(comparisonProgress(undefined, { step: 1, totalSteps: 2, elapsedMs: 1 }, 0)).toBeNull();
  });
});
