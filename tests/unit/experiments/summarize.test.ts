import { describe, expect, test } from 'vitest';
import { getExperiment } from '../../../src/lib/experiments/registry.ts';
import { createExperimentResults } from '../../../src/lib/experiments/runExperiment.ts';
import { fakeRun as run } from './helpers.ts';
import { seedStat, summarizeResults } from '../../../src/lib/experiments/summarize.ts';

describe('summarizeResults', () => {
  test('mean, min and max per variant and epoch across seeds, in the definition’s order', async () => {
    const experiment = getExperiment('original-vs-preactivation');
    const results = await createExperimentResults(experiment, 'reference');
    const [first, second] = experiment.variantSpecs('reference').map((v) => v.name);
    results.runs = [
      run(second, 0, [0.3, 0.2], [2, 1.5, 1]),
      run(first, 0, [0.4, 0.25], [2, 1.6, 1.2]),
      run(first, 1, [0.5, 0.35], [2.2, 1.8, 1.4]),
      run(first, 2, [Number.NaN], [Number.NaN], 'diverged'),
    ];
    results.seeds = [0, 1, 2];
    const summary = summarizeResults(results);
    expect(summary.variants.map((v) => v.variant)).toEqual([first, second]);
    const a = summary.variants[0];
    expect(a.seeds).toEqual([0, 1, 2]);
    expect(a.diverged).toBe(1);
    expect(a.epochs[1].testError).toMatchObject({ min: 0.25, max: 0.35, n: 2 });
    expect(a.epochs[1].testError.mean).toBeCloseTo(0.3);
    expect(a.final.testError!.mean).toBeCloseTo(0.3);
    expect(a.final.bySeed.map((s) => s.seed)).toEqual([0, 1, 2]);
    // Step curve: 10 steps a point, placed in epochs (10,000 / 64 = 156 steps an epoch).
    expect(a.curve[0].step).toBe(10);
    expect(a.curve[0].epochs).toBeCloseTo(10 / 156);
    expect(a.curve[2].loss).toMatchObject({ min: 1.2, max: 1.4, n: 2 });
    expect(a.curve[2].loss.mean).toBeCloseTo(1.3);
    expect(summary.wallTimeMs).toBe(240_000);
    // One seed of each variant, the median of its completed runs: the diverged one is left out.
    expect(summary.oneSeedTime).toEqual({ firstEpochMs: 2000, wholeMs: 120_000 });
    expect(summary.commits).toEqual(['abc123']);
    expect(summary.backends).toEqual(['wasm SIMD, 1 thread']);
  });

  test('one seed’s time: per variant the median run, summed; none while a variant has no completed run', async () => {
    const experiment = getExperiment('original-vs-preactivation');
    const results = await createExperimentResults(experiment, 'reference');
    const [first, second] = experiment.variantSpecs('reference').map((v) => v.name);
    const timed = (variant: string, seed: number, firstEpochMs: number, wholeMs: number) => {
      const r = run(variant, seed, [0.3, 0.2], [1, 1]);
      r.epochs[0].elapsedMs = firstEpochMs;
      r.provenance.wallTimeMs = wholeMs;
      return r;
    };
    results.runs = [timed(first, 0, 10, 100), timed(first, 1, 50, 500), timed(first, 2, 20, 900)];
    results.seeds = [0, 1, 2];
    expect(summarizeResults(results).oneSeedTime).toBeNull();
    results.runs.push(timed(second, 0, 5, 60), timed(second, 1, 7, 80));
    expect(summarizeResults(results).oneSeedTime).toEqual({ firstEpochMs: 20 + 6, wholeMs: 500 + 70 });
  });

  test('seedStat leaves out what is not finite, and has nothing to say about nothing', () => {
    expect(seedStat([1, Number.NaN, 3])).toEqual({ mean: 2, min: 1, max: 3, n: 2 });
    expect(seedStat([Number.NaN])).toBeNull();
  });
});
