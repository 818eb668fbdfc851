import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 1: d2l's narrow VGG-11 (conv channels ÷ 4, two 512-unit FC layers with dropout 0.5) on
 * Fashion-MNIST resized to 32×32, the smallest size that survives five halvings; SGD with momentum
 * 0.9 at 0.05, as d2l. The lesson's cell trains the reader's own `vgg()`, the same network.
 *
 * Reference: 10,000 / 2,000 images, 4 epochs of batch 64, the rate ÷ 10 for the last epoch, 3 seeds.
 * Estimated 22 min on wasm in Node, 1 thread, taking ResNet-20 ×0.25 at 120 images/s;
 * VGG-11 ×0.25 at 32² costs 1.3× that (measured at batch 64).
 */
export const vggBlocks = defineExperiment({
  name: 'vgg-blocks',
  title: "d2l's narrow VGG-11 on Fashion-MNIST at 32×32",
  lesson: '01-vgg-blocks',
  data: { imageSize: 32 },
  recipe: { optimizer: 'sgd', learningRate: 0.05 },
  budgets: pageBudgets(() => ({})),
  seeds: [0, 1, 2],
  variants: () => [
    {
      name: 'vgg11-small',
      model: 'vgg',
      options: {
        depth: 11,
        width: 0.25,
        fcUnits: 512,
        inputShape: [32, 32, 1],
        classes: 10,
        name: 'vgg11-small',
      },
    },
  ],
});
