import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 4: original (post-activation) against full pre-activation residual units (He et al. 2016,
 * Fig. 1), same depth, width, seed and data order, projection shortcuts at shape changes; standardised
 * pixels, SGD 0.05 with momentum 0.9, no weight decay (as the lesson has always trained them).
 *
 * Reference: ResNet-20 at width 0.25, 10,000 / 2,000 images, 4 epochs of batch 64, the rate ÷ 10 for
 * the last epoch, 3 seeds. Estimated 33 min on wasm in Node, 1 thread, taking ResNet-20 ×0.25 at 120 images/s
 * (batch 64).
 */
export const originalVsPreactivation = defineExperiment({
  name: 'original-vs-preactivation',
  title: 'Original against pre-activation residual units',
  lesson: '04-pre-activation',
  data: { normalize: 'standardize' },
  recipe: { optimizer: 'sgd', learningRate: 0.05 },
  budgets: pageBudgets(({ depth, width }) => ({ depth, width })),
  seeds: [0, 1, 2],
  variants: ({ depth, width }) =>
    (
      [
        ['original', 'original'],
        ['pre-activation', 'fullPreactivation'],
      ] as const
    ).map(([name, activation]) => ({
      name,
      model: 'cifarResNet',
      options: { depth, width, activation, downsample: 'projection', inputShape: [28, 28, 1] },
    })),
});
