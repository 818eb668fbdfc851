import { describe, expect, it } from 'vitest';
import {
  createRunResult,
  createRunResults,
  parseResults,
  resultsToCSV,
  resultsToJSON,
  type RunConfig,
} from '../../../src/lib/train/results.ts';
import { createMemoryResultsStore, openResultsStore } from '../../../src/lib/train/resultsStore.ts';
import type { TrainRecord } from '../../../src/lib/train/types.ts';

const config: RunConfig = {
  model: 'resnet20',
  lesson: '03-preact',
  seed: 1,
  budget: 'quick',
  backend: 'cpu',
  device: 'Node, "test"',
};
const records: TrainRecord[] = [
  {
    kind: 'step',
    step: 10,
    epoch: 1,
    loss: 2.1,
    accuracy: 0.2,
    imagesPerSecond: 500,
    elapsedMs: 100,
    totalSteps: 20,
  },
  {
    kind: 'epoch',
    epoch: 1,
    step: 10,
    trainLoss: 2,
    trainAccuracy: 0.25,
    testLoss: Number.NaN,
    testAccuracy: 0.3,
    elapsedMs: 120,
  },
  {
    kind: 'step',
    step: 20,
    epoch: 2,
    loss: 1.5,
    accuracy: 0.5,
    imagesPerSecond: 520,
    elapsedMs: 200,
    totalSteps: 20,
  },
  {
    kind: 'epoch',
    epoch: 2,
    step: 20,
    trainLoss: 1.4,
    trainAccuracy: 0.55,
    testLoss: 1.6,
    testAccuracy: 0.5,
    elapsedMs: 220,
  },
  { kind: 'done', reason: 'completed', best: { epoch: 2, testAccuracy: 0.5 }, elapsedMs: 221 },
];
const effects = { now: () => new Date('2026-01-02T03:04:05Z'), createId: () => 'run-1' };

describe('results', () => {
  it('records configuration, curves and final figures', () => {
    const run = createRunResult(config, records, effects);
    expect(run).toMatchObject({ id: 'run-1', createdAt: '2026-01-02T03:04:05.000Z' });
    expect([run.steps.length, run.epochs.length]).toEqual([2, 2]);
    expect(run.final).toEqual({
      reason: 'completed',
      elapsedMs: 221,
      trainLoss: 1.4,
      trainAccuracy: 0.55,
      testLoss: 1.6,
      testAccuracy: 0.5,
      best: { epoch: 2, testAccuracy: 0.5 },
    });
    const perVariant = createRunResults(
      config,
      [
        ...records.map((r) => ({ ...r, variant: 'a' })),
        { kind: 'done', variant: 'b', reason: 'diverged', message: 'NaN', elapsedMs: 5 },
      ],
      effects,
    );
    expect(perVariant.map((r) => [r.config.variant, r.final.reason, r.epochs.length])).toEqual([
      ['a', 'completed', 2],
      ['b', 'diverged', 0],
    ]);
  });

  it('round-trips through JSON (NaN included) and exports CSV', () => {
    const run = createRunResult(config, records, effects);
    const [back] = parseResults(resultsToJSON(run));
    expect(back.epochs[0].testLoss).toBeNaN();
    expect({ ...back, epochs: back.epochs.slice(1) }).toEqual({ ...run, epochs: run.epochs.slice(1) });
    const csv = resultsToCSV([run]).trimEnd().split('\n');
    expect(csv[0]).toBe(
      'id,lesson,model,variant,seed,budget,backend,device,epoch,step,trainLoss,trainAccuracy,testLoss,testAccuracy,elapsedMs',
    );
    expect(csv[2]).toBe('run-1,03-preact,resnet20,,1,quick,cpu,"Node, ""test""",2,20,1.4,0.55,1.6,0.5,220');
  });

  it('rejects invalid files with the place and the problem', () => {
    const run = JSON.parse(resultsToJSON(createRunResult(config, records, effects)));
    expect(() => parseResults('{oops')).toThrow(/^invalid results file: not JSON/);
    expect(() => parseResults({ ...run, format: 'other' })).toThrow(
      /invalid results file: format: .*is this a ResLab results export\?/,
    );
    run.runs[0].epochs[1].trainLoss = 'low';
    expect(() => parseResults(run)).toThrow(/invalid results file: runs\.0\.epochs\.1\.trainLoss: /);
    run.runs[0].epochs[1].trainLoss = 1;
    run.runs[0].final.reason = 'crashed';
    expect(() => parseResults(run)).toThrow(/runs\.0\.final\.reason/);
  });

  it('stores runs per lesson in memory (and falls back to memory without IndexedDB)', async () => {
    const store = createMemoryResultsStore();
    const run = createRunResult(config, records, effects);
    await store.save('l1', run);
    await store.save('l1', { ...run, id: 'run-2', createdAt: '2026-01-01T00:00:00.000Z' });
    await store.save('l2', run);
    expect((await store.list('l1')).map((r) => r.id)).toEqual(['run-2', 'run-1']);
    await store.remove('l1', 'run-2');
    expect((await store.list('l1')).map((r) => r.id)).toEqual(['run-1']);
    await store.clear('l1');
    expect(await store.list('l1')).toEqual([]);
    expect(await store.list('l2')).toHaveLength(1);
    const fallback = openResultsStore(undefined);
    await fallback.save('x', run);
    expect(await fallback.list('x')).toHaveLength(1);
  });
});
