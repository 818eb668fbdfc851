import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import {
  createEtaEstimator,
  createExperimentResults,
  experimentResultsToJSON,
  getExperiment,
  hashCanonical,
  parseExperimentResults,
  toExperimentRun,
  toStepCurve,
  type ExperimentResults,
  type RunProvenance,
} from '../../../src/lib/experiments/index.ts';
import type { StepRecord, TrainRecord } from '../../../src/lib/train/types.ts';
import { root } from './helpers.ts';

const provenance: RunProvenance = {
  library: { version: '0.1.0', commit: 'abc123', dirty: false },
  backend: { name: 'wasm', simd: true, threads: 1 },
  cpu: { model: 'Test CPU', cores: 2 },
  runtime: 'node v24.0.0',
  date: '2025-01-01T00:00:00.000Z',
  wallTimeMs: 1234,
};

function step(n: number, loss: number, accuracy = 0.5): StepRecord {
  return {
    kind: 'step',
    step: n,
    epoch: 1,
    loss,
    accuracy,
    imagesPerSecond: 100,
    elapsedMs: n * 10,
    totalSteps: 25,
  };
}

function runRecords(variant: string, steps = 25, diverged = false): TrainRecord[] {
  const records: TrainRecord[] = Array.from({ length: steps }, (_, i) => ({
    ...step(i + 1, 2 - i / 20),
    variant,
  }));
  if (!diverged) {
    records.push({
      kind: 'epoch',
      variant,
      epoch: 1,
      step: steps,
      trainLoss: 1.5,
      trainAccuracy: 0.4,
      testLoss: 1.2,
      testAccuracy: 0.6,
      elapsedMs: 300,
    });
  }
  records.push({
    kind: 'done',
    variant,
    reason: diverged ? 'diverged' : 'completed',
    ...(diverged ? { message: 'loss became NaN' } : { best: { epoch: 1, testAccuracy: 0.6 } }),
    elapsedMs: 310,
  });
  return records;
}

async function makeResults(): Promise<ExperimentResults> {
  const experiment = getExperiment('original-vs-preactivation');
  const results = await createExperimentResults(experiment, 'reference');
  const identity = { seed: 0, model: 'm', curveEvery: 10, provenance };
  results.runs = [
    toExperimentRun({ ...identity, variant: 'original' }, runRecords('original'))!,
    toExperimentRun({ ...identity, variant: 'pre-activation' }, runRecords('pre-activation', 7, true))!,
  ];
  results.seeds = [0];
  return results;
}

describe('step curve', () => {
  it('averages fixed windows from the first step and leaves out a partial last one', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7].map((n) => step(n, n, n / 10));
    const curve = toStepCurve(steps, 3);
    expect(curve.every).toBe(3);
    expect(curve.loss).toEqual([2, 5]);
    expect(curve.accuracy.map((a) => Number(a.toFixed(6)))).toEqual([0.2, 0.5]);
  });

  it('refuses records that are not one per step', () => {
    expect(() => toStepCurve([step(10, 1), step(20, 1)], 1)).toThrow(/expected logEvery: 1/);
  });
});

describe('toExperimentRun', () => {
  it('keeps per-epoch train loss and accuracy, test loss and error, the curve and the final figures', async () => {
    const run = (await makeResults()).runs[0];
    expect(run.status).toBe('completed');
    expect(run.epochs).toEqual([
      {
        epoch: 1,
        step: 25,
        trainLoss: 1.5,
        trainAccuracy: 0.4,
        testLoss: 1.2,
        testError: expect.closeTo(0.4),
        elapsedMs: 300,
      },
    ]);
    expect(run.curve.loss).toHaveLength(2); // 25 steps, every 10
    expect(run.final.testError).toBeCloseTo(0.4);
    expect(run.final.best).toEqual({ epoch: 1, testError: expect.closeTo(0.4) });
  });

  it('keeps a diverged run as a result and drops an aborted one', () => {
    const identity = { variant: 'v', seed: 0, model: 'm', curveEvery: 2, provenance };
    expect(toExperimentRun(identity, runRecords('v', 4, true))!.status).toBe('diverged');
    const aborted = runRecords('v', 4).slice(0, -1);
    aborted.push({ kind: 'done', variant: 'v', reason: 'aborted', elapsedMs: 1 });
    expect(toExperimentRun(identity, aborted)).toBeNull();
  });
});

describe('results file', () => {
  it('round-trips through JSON, NaN included, and its definition hashes to its definitionHash', async () => {
    const results = await makeResults();
    const text = experimentResultsToJSON(results);
    const back = parseExperimentResults(text, 'x.json');
    expect(back.runs[1].final.testError).toBeNaN();
    expect(back.runs[0]).toEqual(results.runs[0]);
    expect(await hashCanonical(back.definition)).toBe(back.definitionHash);
  });

  it('is laid out as Prettier would lay it out, so lint passes on committed results', async () => {
    const text = experimentResultsToJSON(await makeResults());
    const file = join(root, 'content/results/example.json');
    const config = await prettier.resolveConfig(file);
    expect(await prettier.format(text, { ...config, filepath: file })).toBe(text);
    expect(text).toMatch(/"loss": \[1\.\d+, 1\.\d+\]/);
  });

  it('names the file and the field on a bad value', async () => {
    const results = JSON.parse(experimentResultsToJSON(await makeResults()));
    results.runs[0].epochs[0].testError = 'low';
    expect(() => parseExperimentResults(results, 'content/results/x.json')).toThrow(
      /^invalid results file content\/results\/x\.json: runs\.0\.epochs\.0\.testError: /,
    );
    delete results.runs[0].provenance;
    results.runs[0].epochs[0].testError = 0.4;
    expect(() => parseExperimentResults(results, 'r.json')).toThrow(/r\.json: runs\.0\.provenance: /);
    expect(() => parseExperimentResults('{', 'r.json')).toThrow(/invalid results file r\.json: not JSON/);
  });

  it('checks the file is consistent: seeds, one run per variant and seed, its own experiment', async () => {
    const results = JSON.parse(experimentResultsToJSON(await makeResults()));
    expect(() => parseExperimentResults({ ...results, seeds: [0, 1] }, 'r.json')).toThrow(
      /r\.json: seeds: expected the runs' seeds, ascending: \[0\]/,
    );
    const twice = { ...results, runs: [results.runs[0], results.runs[0]] };
    expect(() => parseExperimentResults(twice, 'r.json')).toThrow(
      /runs\.1: expected one run per variant and seed/,
    );
    expect(() => parseExperimentResults({ ...results, experiment: 'other' }, 'r.json')).toThrow(/definition/);
  });
});

describe('ETA', () => {
  it('projects the current run, then learns each variant’s pace from its finished runs', () => {
    const eta = createEtaEstimator();
    const later = [{ variant: 'a', images: 100 }];
    expect(eta.remaining({ variant: 'a', images: 100, fraction: 0, elapsedMs: 0 }, later)).toBeNull();
    // Half done in 50 ms: 50 ms left for this run, 100 ms for the next of the same size.
    expect(eta.remaining({ variant: 'a', images: 100, fraction: 0.5, elapsedMs: 50 }, later)).toBeCloseTo(
      150,
    );
    eta.finish('a', 100, 100);
    eta.finish('b', 100, 300);
    expect(eta.remaining({ variant: 'b', images: 100, fraction: 0.5, elapsedMs: 10 }, later)).toBeCloseTo(
      250,
    );
    // A variant not seen yet takes the mean pace of the finished runs (2 ms per image).
    expect(
      eta.remaining({ variant: 'a', images: 100, fraction: 1, elapsedMs: 0 }, [{ variant: 'c', images: 10 }]),
    ).toBeCloseTo(20);
  });
});
