import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment, readFileFetch } from '../../../src/cli/experiment.ts';
import { initBackend, type BackendChoice } from '../../../src/lib/backend.ts';
import {
  compareCurves,
  getExperiment,
  loadExperimentData,
  parseExperimentResults,
  REPLAY_TOLERANCE,
  replayRun,
  runExperiment,
  type ExperimentResults,
} from '../../../src/lib/experiments/index.ts';
import type { ImageDataset } from '../../../src/lib/data/fashionMnist.ts';
import { makeTempDir, prepareData, reslab } from './helpers.ts';

// Replaying the first steps of a recorded run at its settings gives the recorded curve within
// REPLAY_TOLERANCE (relative 1e-3 plus 1e-5): on one backend the arithmetic is the same, so in practice
// the match is exact. The shortcut ablation has a variant with dropout on the shortcut, which draws
// its masks from Math.random: the runner seeds it per run, so that variant replays too.
const temp = makeTempDir('reslab-determinism-');
const experiment = getExperiment('shortcut-variants');
let backend: BackendChoice;
let data: ImageDataset;
let results: ExperimentResults;

beforeAll(async () => {
  await prepareData(temp.dir);
  backend = await initBackend({ preference: 'wasm' });
  ({ data } = await loadExperimentData(experiment, 'quick', {
    baseUrl: `${pathToFileURL(temp.dir).href}/`,
    fetch: readFileFetch,
  }));
  ({ results } = await runExperiment(experiment, {
    budget: 'quick',
    seeds: [0],
    data,
    environment: readEnvironment(backend),
  }));
}, 120_000);
afterAll(() => {
  data?.dispose();
  temp.remove();
});

describe('determinism', () => {
  it('runs on wasm', () => {
    expect(backend.name).toBe('wasm');
    expect(results.runs).toHaveLength(6);
  });

  it.each(['identity', 'dropout', 'exclusiveGating'])('replays the recorded steps of %s', async (variant) => {
    const run = results.runs.find((r) => r.variant === variant)!;
    expect(run.curve.loss).toHaveLength(2);
    const replayed = await replayRun(experiment, 'quick', run, data, { points: 2 });
    expect(replayed.loss).toHaveLength(2);
    expect(compareCurves(run.curve, replayed, REPLAY_TOLERANCE)).toEqual([]);
  });

  it('replays a run that the command line recorded in another process', async () => {
    const file = join(temp.dir, 'cli.json');
    const args = ['--budget', 'quick', '--seeds', '2', '--out', file, '--data', temp.dir];
    expect(reslab('experiment', 'run', 'shortcut-variants', ...args).code).toBe(0);
    const recorded = parseExperimentResults(readFileSync(file, 'utf8'), file);
    for (const run of recorded.runs.filter((r) => ['identity', 'dropout'].includes(r.variant))) {
      const replayed = await replayRun(experiment, 'quick', run, data);
      expect(compareCurves(run.curve, replayed), run.variant).toEqual([]);
    }
  });

  it('notices a replay that is not the recorded run (another seed)', async () => {
    const run = results.runs.find((r) => r.variant === 'identity')!;
    const other = await replayRun(experiment, 'quick', { ...run, seed: 1 }, data, { points: 2 });
    expect(compareCurves(run.curve, other).length).toBeGreaterThan(0);
  });
});
