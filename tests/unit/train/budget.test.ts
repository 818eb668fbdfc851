import { describe, expect, it } from 'vitest';
import { BUDGETS } from '../../../src/lib/budget.ts';
import { buildCifarResNet } from '../../../src/lib/models/cifar.ts';

const subsetSizes = { lesson: { train: 10_000, test: 2000 }, full: { train: 60_000, test: 10_000 } };

describe('BUDGETS', () => {
  for (const budget of Object.values(BUDGETS)) {
    it(`${budget.name}: sizes fit its subset, every epoch has at least two full batches, the model builds`, () => {
      expect(budget.trainSize).toBeLessThanOrEqual(subsetSizes[budget.subset].train);
      expect(budget.testSize).toBeLessThanOrEqual(subsetSizes[budget.subset].test);
      expect(Math.floor(budget.trainSize / budget.batchSize)).toBeGreaterThanOrEqual(2);
      const model = buildCifarResNet({
        depth: budget.depth,
        width: budget.width,
        inputShape: [budget.imageSize, budget.imageSize, 1],
      });
      expect(model.outputs[0].shape).toEqual([null, 10]);
      model.dispose();
    });
  }

  it('grow from quick to reference; one-epoch is the first epoch of reference', () => {
    const { quick, reference } = BUDGETS;
    const oneEpoch = BUDGETS['one-epoch'];
    const images = (b: typeof quick) => b.trainSize * b.epochs;
    expect(images(quick)).toBeLessThan(images(oneEpoch));
    expect(images(oneEpoch)).toBeLessThan(images(reference));
    expect({ ...oneEpoch, name: 'reference', epochs: reference.epochs }).toEqual(reference);
  });
});
