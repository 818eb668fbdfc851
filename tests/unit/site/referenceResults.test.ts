// The build-time reference figures: read a results file, summarise it, draw static SVG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  describeStat,
  describeDuration,
  formatReferenceFigure,
  lessonTimes,
  loadReference,
  renderCurves,
  renderFinal,
} from '../../../src/components/referenceResults.ts';
import { getExperiment } from '../../../src/lib/experiments/registry.ts';
import { experimentResultsToJSON, type ExperimentRun } from '../../../src/lib/experiments/resultsFile.ts';
import { createExperimentResults } from '../../../src/lib/experiments/runExperiment.ts';
import { fakeRun, makeTempDir } from '../experiments/helpers.ts';

const temp = makeTempDir('reslab-reference-');
afterAll(() => temp.remove());

const run = (variant: string, seed: number, errors: number[]) =>
  fakeRun(variant, seed, errors, [1, 0.9, 0.8]);

async function writeResults(dir: string, runs: ExperimentRun[]) {
  const results = await createExperimentResults(getExperiment('original-vs-preactivation'), 'reference');
  results.runs = runs;
  results.seeds = [...new Set(runs.map((r) => r.seed))].sort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'original-vs-preactivation.json'), experimentResultsToJSON(results));
}

describe('reference results at build time', () => {
  test('a missing file is no reference, and a wrong experiment name fails with the valid ones', () => {
    expect(loadReference('vgg-blocks', join(temp.dir, 'none'))).toBeNull();
    expect(() => loadReference('vgg', join(temp.dir, 'none'))).toThrow(
      /invalid experiment: "vgg" \(expected one of vgg-blocks/,
    );
  });

  test('summarises every seed, knows when runs are missing, and draws every variant in its colour', async () => {
    const dir = join(temp.dir, 'partial');
    await writeResults(dir, [
      run('original', 0, [0.4, 0.3]),
      run('pre-activation', 0, [0.35, 0.25]),
      run('original', 1, [0.5, 0.2]),
    ]);
    const reference = loadReference('original-vs-preactivation', dir)!;
    expect(reference.complete).toBe(false);
    expect(reference.variants).toEqual(['original', 'pre-activation']);
    expect(describeStat(reference.summary.variants[0].final.testError!)).toBe('25.0% (20.0–30.0%, 2 seeds)');
    expect(describeStat(reference.summary.variants[1].final.testError!)).toBe('25.0% (1 seed)');
    const curves = renderCurves(reference, 'Test error after each epoch');
    expect(curves).toMatch(/^<figure/);
    expect(curves).toContain('Test error after each epoch');
    expect(curves).toContain('original');
    expect(curves).toContain('pre-activation');
    expect(curves).toContain('#4269d0'); // the first variant's colour, the same on every chart
    expect(formatReferenceFigure(reference, { variant: 'original' })).toBe('25.0% (20.0–30.0%, 2 seeds)');
    expect(formatReferenceFigure(reference, { variant: 'original', show: 'spread' })).toBe('10.0 points');
    expect(formatReferenceFigure(reference, { variant: 'original', epoch: 1, show: 'mean' })).toBe('45.0%');
    expect(formatReferenceFigure(reference, { variant: 'original', metric: 'trainLoss', epoch: 1 })).toBe(
      '1.000 (1.000–1.000, 2 seeds)',
    );
    expect(() => formatReferenceFigure(reference, { variant: 'preact' })).toThrow(
      'invalid variant: "preact" (expected one of original, pre-activation)',
    );
    expect(formatReferenceFigure(null, { variant: 'original' })).toBe('not yet trained');
    const final = renderFinal(reference, 'Final test error');
    expect(final.match(/<circle/g)).toHaveLength(3); // one dot per seed
  });

  test('a corrupt file fails the build with the file and the field', () => {
    const dir = join(temp.dir, 'corrupt');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'basic-vs-bottleneck.json'),
      '{"format": "reslab-experiment-results", "version": 2}',
    );
    expect(() => loadReference('basic-vs-bottleneck', dir)).toThrow(
      /invalid results file .*basic-vs-bottleneck\.json: version/,
    );
  });

  test("a lesson's times: one seed of each network, the median of its runs, summed; none until all have one", async () => {
    const dir = join(temp.dir, 'times');
    const timed = (variant: string, seed: number, firstEpochMs: number, wholeMs: number) => {
      const r = run(variant, seed, [0.4, 0.3]);
      r.epochs[0].elapsedMs = firstEpochMs;
      r.provenance.wallTimeMs = wholeMs;
      return r;
    };
    await writeResults(dir, [timed('original', 0, 60_000, 240_000)]);
    expect(lessonTimes('04-pre-activation', dir)).toBeNull(); // pre-activation has no run yet
    expect(lessonTimes('00-about-this-site', dir)).toBeNull(); // no experiment
    const complete = join(temp.dir, 'times-complete');
    await writeResults(complete, [
      timed('original', 0, 60_000, 240_000),
      timed('pre-activation', 0, 30_000, 100_000),
      timed('original', 1, 90_000, 300_000),
      timed('original', 2, 120_000, 900_000),
    ]);
    expect(lessonTimes('04-pre-activation', complete)).toEqual({
      experiments: ['original-vs-preactivation'],
      models: 2,
      oneEpochMs: 90_000 + 30_000,
      referenceMs: 300_000 + 100_000,
      measuredOn: 'wasm SIMD, 1 thread, node v24 on 2 cores (test)',
    });
    expect(describeDuration(20_000)).toBe('under a minute');
    expect(describeDuration(6.4 * 60_000)).toBe('about 6 min');
    expect(describeDuration(70 * 60_000)).toBe('about 1 h 10 min');
    expect(describeDuration(120 * 60_000)).toBe('about 2 h');
  });
});
