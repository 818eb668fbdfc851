import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 2: the degradation experiment of He et al. 2015 (Fig. 6), scaled down: CIFAR-style networks
 * with and without shortcuts at a shallow and a deeper depth, on the same data order and weight seed.
 * SGD 0.05, momentum 0.9, weight decay 1e-4; no augmentation.
 *
 * Reference: depths 8 and 20 at width 0.25, 10,000 / 2,000 images, 4 epochs of batch 64, the rate ÷ 10
 * for the last epoch, 3 seeds. Estimated 45 min on wasm in Node, 1 thread, taking ResNet-20 ×0.25 at 120 images/s;
 * depth 8 costs 0.36× that (measured at batch 64).
 */
export const plainVsResidual = defineExperiment({
  name: 'plain-vs-residual',
  title: 'Plain against residual CIFAR-style networks at two depths',
  lesson: '02-residual-blocks',
  data: {},
  recipe: { optimizer: 'sgd', learningRate: 0.05, weightDecay: 1e-4 },
  budgets: pageBudgets(({ name, width }) => ({ width, depths: name === 'quick' ? [8, 14] : [8, 20] })),
  seeds: [0, 1, 2],
  variants: ({ depths, width }) =>
    depths.flatMap((depth) =>
      [true, false].map((plain) => ({
        name: `${plain ? 'plain' : 'resnet'}-${depth}`,
        model: 'cifarResNet' as const,
        options: { depth, plain, width, inputShape: [28, 28, 1] as [number, number, number], classes: 10 },
      })),
    ),
});
