import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 3: a CIFAR-style network of basic blocks (14 layers, 6n+2) against one of bottlenecks (20
 * layers, 9n+2) at the same n = 2, on the same data order and seed. SGD 0.05, momentum 0.9, weight
 * decay 1e-4.
 *
 * Reference: width 0.25, 10,000 / 2,000 images, 4 epochs of batch 64 (as the other experiments; 3 at
 * first), the rate ÷ 10 for the last epoch, 3 seeds: about 23 min on wasm in Node, 1 thread, with
 * ResNet-20 ×0.25 at ~200 images/s (first estimated for 3 epochs at 120 images/s as 29 min);
 * the bottleneck net, 4× wider at its outputs, costs 1.7× that and the basic one 0.7× (measured at batch 64).
 */
export const basicVsBottleneck = defineExperiment({
  name: 'basic-vs-bottleneck',
  title: 'Basic blocks against bottleneck blocks',
  lesson: '03-bottleneck-blocks',
  data: {},
  recipe: { optimizer: 'sgd', learningRate: 0.05, weightDecay: 1e-4 },
  budgets: pageBudgets(({ width }) => ({ width })),
  seeds: [0, 1, 2],
  variants: ({ width }) => [
    {
      name: 'basic',
      model: 'cifarResNet',
      options: { depth: 14, branch: 'basic', width, inputShape: [28, 28, 1], classes: 10 },
    },
    {
      name: 'bottleneck',
      model: 'cifarResNet',
      options: { depth: 20, branch: 'bottleneck', width, inputShape: [28, 28, 1], classes: 10 },
    },
  ],
});
