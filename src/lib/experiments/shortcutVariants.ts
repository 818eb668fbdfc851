import { SHORTCUT_VARIANTS } from '../models/shortcuts.ts';
import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 5: the six shortcuts of He et al. 2016 (Table 1, Fig. 2) on one CIFAR-style ResNet, same
 * weight seed and data order, so the shortcut is the only difference; standardised pixels, SGD 0.05
 * with momentum 0.9, no weight decay (as the lesson has always trained them).
 *
 * Reference: ResNet-20 at width 0.25, 10,000 / 2,000 images, 4 epochs of batch 64, the rate ÷ 10 for
 * the last (as the other experiments), 3 seeds: about 68 min on wasm in Node, 1 thread, with
 * ResNet-20 ×0.25 at ~200 images/s (measured with the kernels of src/lib/wasmKernels.ts);
 * the gating and 1×1 shortcuts, a convolution more per unit, cost up to 1.3× that (measured at batch 64).
 */
export const shortcutVariants = defineExperiment({
  name: 'shortcut-variants',
  title: 'The six shortcuts of Identity Mappings in Deep Residual Networks',
  lesson: '05-shortcut-variants',
  data: { normalize: 'standardize' },
  recipe: { optimizer: 'sgd', learningRate: 0.05 },
  budgets: pageBudgets(({ depth, width }) => ({ depth, width })),
  seeds: [0, 1, 2],
  variants: ({ depth, width }) =>
    SHORTCUT_VARIANTS.map((shortcut) => ({
      name: shortcut,
      model: 'cifarResNet',
      options: { depth, width, shortcut, inputShape: [28, 28, 1], name: shortcut },
    })),
});
