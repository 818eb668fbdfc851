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
export async function gradientFlow(
  model: tf.LayersModel,
  images: tf.Tensor,
  labels: tf.Tensor,
  options: GradientFlowOptions = {},
): Promise<GradientFlowEntry[]> {
  const training = options.training ?? true;
  const kernels = model.layers.flatMap((layer) =>
    layer.trainableWeights
      .filter((weight) => /kernel$/.test(weight.originalName))
      .map((weight) => ({ block: blockOf(layer.name), variable: weight.read() as tf.Variable })),
  );
  if (kernels.length === 0)
    throw new Error(`invalid model: ${JSON.stringify(model.name)} (it has no kernels)`);
  const blocks = [...new Set(kernels.map((k) => k.block))];
  const classes = (model.outputs[0].shape.at(-1) ?? 0) as number;
  // A training-mode pass updates BN moving statistics as a side effect; keep copies to put them back.
  const saved = model.nonTrainableWeights.map((weight) => weight.read().clone());
  let squares: tf.Tensor | undefined;
  try {
    squares = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () => {
          const logits = model.apply(images, { training }) as tf.Tensor;
          const targets = tf.oneHot(labels.toInt(), classes);
          return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
        },
        kernels.map((k) => k.variable),
      );
      // [blocks, 2]: squared norms of the gradients and of the kernels of each block.
      return tf.stack(
        blocks.map((block) => {
          const own = kernels.filter((k) => k.block === block);
          const gradient = tf.addN(own.map((k) => tf.sum(tf.square(grads[k.variable.name]))));
          const weight = tf.addN(own.map((k) => tf.sum(tf.square(k.variable))));
          return tf.stack([gradient, weight]);
        }),
      );
    });
    // One asynchronous read-back for the whole model (a synchronous read would stall a GPU backend).
    const values = await squares.data();
    return blocks.map((block, index) => {
      const gradientNorm = Math.sqrt(values[2 * index]);
      const weightNorm = Math.sqrt(values[2 * index + 1]);
      return { block, index, gradientNorm, weightNorm, relative: gradientNorm / weightNorm };
    });
  } finally {
    squares?.dispose();
    model.nonTrainableWeights.forEach((weight, i) => weight.write(saved[i]));
    tf.dispose(saved);
  }
}
