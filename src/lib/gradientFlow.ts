import * as tf from '@tensorflow/tfjs';
import { blockOf } from './trace.ts';

/** Gradient size of one block's weights for one batch. */
export interface GradientFlowEntry {
  /** Block name from the layer names, e.g. `conv3_1`. */
  block: string;
  /** Position of the block from the input (0 = closest to the input). */
  index: number;
  /** L2 norm of ∂loss/∂W over the block's conv and dense kernels. */
  gradientNorm: number;
  /** L2 norm of those kernels. */
  weightNorm: number;
  /** gradientNorm / weightNorm: how large one SGD step is relative to the weights. */
  relative: number;
}

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions {
  /** Use batch statistics in BN as a training step does (true) or the moving statistics (false). Default true. */
  training?: boolean;
}

/**
 * Measures how much gradient reaches each block: one forward and backward pass of the softmax
 * cross-entropy on a batch (`labels` are class indices), then the norm of each block's kernel gradients,
 * input side first. Deep plain networks show how the signal changes with depth; residual ones keep it.
 * The model is left as it was: BN moving statistics touched by the training-mode pass are restored.
 */
export function gradientFlow(
  model: tf.LayersModel,
  images: tf.Tensor,
  labels: tf.Tensor,
  options: GradientFlowOptions = {},
): GradientFlowEntry[] {
  const training = options.training ?? true;
  const kernels = model.layers.flatMap((layer) =>
    layer.trainableWeights
      .filter((weight) => /kernel$/.test(weight.originalName))
      .map((weight) => ({ block: blockOf(layer.name), variable: weight.read() as tf.Variable })),
  );
  if (kernels.length === 0)
    throw new Error(`invalid model: ${JSON.stringify(model.name)} (it has no kernels)`);
  const classes = (model.outputs[0].shape.at(-1) ?? 0) as number;
  // A training-mode pass updates BN moving statistics as a side effect; keep copies to put them back.
  const saved = model.nonTrainableWeights.map((weight) => weight.read().clone());
  try {
    return tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => {
          const logits = model.apply(images, { training }) as tf.Tensor;
          const targets = tf.oneHot(labels.toInt(), classes);
          return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
        },
        kernels.map((k) => k.variable),
      );
      const sums = new Map<string, { grad: number; weight: number }>();
      for (const { block, variable } of kernels) {
        const entry = sums.get(block) ?? { grad: 0, weight: 0 };
        entry.grad += tf.sum(tf.square(grads[variable.name])).dataSync()[0];
        entry.weight += tf.sum(tf.square(variable)).dataSync()[0];
        sums.set(block, entry);
      }
      return [...sums].map(([block, { grad, weight }], index) => {
        const gradientNorm = Math.sqrt(grad);
        const weightNorm = Math.sqrt(weight);
        return { block, index, gradientNorm, weightNorm, relative: gradientNorm / weightNorm };
      });
    });
  } finally {
    model.nonTrainableWeights.forEach((weight, i) => weight.write(saved[i]));
    tf.dispose(saved);
  }
}
