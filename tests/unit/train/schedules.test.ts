import { describe, expect, it } from 'vitest';
import { getBudget } from '../../../src/lib/budget.ts';
import { parseTrainOptions } from '../../../src/lib/train/trainOptions.ts';
import { learningRateAt, type Schedule } from '../../../src/lib/train/schedules.ts';

const at = (schedule: Schedule, steps: number[]) =>
  steps.map((step) => learningRateAt(schedule, 0.1, { step, stepsPerEpoch: 10 }));

describe('learningRateAt', () => {
  it('divides by the factor after each listed number of epochs (step decay)', () => {
    const rates = at({ kind: 'step', epochs: [2, 3] }, [0, 19, 20, 29, 30, 99]);
    expect(rates.map((r) => +r.toPrecision(6))).toEqual([0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
    expect(at({ kind: 'step', epochs: [1], factor: 2 }, [9, 10])).toEqual([0.1, 0.05]);
  });

  it('warms up at a fixed or linear rate, then follows the next schedule', () => {
    expect(at({ kind: 'warmup', warmupSteps: 4, warmupRate: 0.01 }, [0, 3, 4])).toEqual([0.01, 0.01, 0.1]);
    expect(at({ kind: 'warmup', warmupSteps: 4, linear: true }, [0, 1, 3, 4])).toEqual([
      0.025, 0.05, 0.1, 0.1,
    ]);
    const nested = at({ kind: 'warmup', warmupSteps: 5, then: { kind: 'step', epochs: [1] } }, [0, 5, 10]);
    expect(nested.map((r) => +r.toPrecision(6))).toEqual([0.01, 0.1, 0.01]);
  });

  it('is validated as a training option', () => {
    expect(() => parseTrainOptions({ schedule: { kind: 'cosine' } as unknown as Schedule })).toThrow(
      /invalid schedule.*expected/,
    );
    expect(parseTrainOptions({ optimizer: 'adam' }).learningRate).toBe(0.001);
    expect(parseTrainOptions({}).learningRate).toBe(0.05);
  });
});

describe('getBudget', () => {
  it('returns the budgets and rejects unknown names', () => {
    expect(getBudget('quick')).toMatchObject({ epochs: 1, trainSize: 32, batchSize: 16, subset: 'lesson' });
    expect(getBudget('reference')).toMatchObject({ epochs: 4, trainSize: 10_000, batchSize: 64 });
    expect(() => getBudget('huge')).toThrow(
      'invalid budget: "huge" (expected one of quick, one-epoch, reference)',
    );
  });
});
