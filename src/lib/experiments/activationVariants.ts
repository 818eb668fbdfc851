import { ACTIVATION_VARIANTS } from '../models/activationVariants.ts';
import { defineExperiment } from './defineExperiment.ts';
import { pageBudgets } from './budgets.ts';

/**
 * Lesson 6: the five activation placements of He et al. 2016 (Table 2, Fig. 4) on one CIFAR-style
 * ResNet with projection shortcuts at shape changes, same weight seed and data order; standardised
 * pixels, SGD 0.05 with momentum 0.9, no weight decay (as the lesson has always trained them).
 *
 * Reference: ResNet-20 at width 0.25, 10,000 / 2,000 images, 4 epochs of batch 64, the rate ÷ 10 for
 * the last (as the other experiments), 3 seeds: about 53 min on wasm in Node, 1 thread, with
 * ResNet-20 ×0.25 at ~200 images/s (measured with the kernels of src/lib/wasmKernels.ts);
 * the placements cost 1–1.1× that (measured at batch 64).
 */
export const activationVariants = defineExperiment({
  name: 'activation-variants',
  title: 'The five activation placements of Identity Mappings in Deep Residual Networks',
  lesson: '06-activation-variants',
  data: { normalize: 'standardize' },
  recipe: { optimizer: 'sgd', learningRate: 0.05 },
  budgets: pageBudgets(({ depth, width }) => ({ depth, width })),
  seeds: [0, 1, 2],
  variants: ({ depth, width }) =>
    ACTIVATION_VARIANTS.map((activation) => ({
      name: activation,
      model: 'cifarResNet',
      options: {
        depth,
        width,
        activation,
        downsample: 'projection',
        inputShape: [28, 28, 1],
        name: activation,
      },
    })),
});
