import * as tf from '@tensorflow/tfjs';
import { makeBatch, type Preprocess } from '../data/batches.ts';
import type { ImageSet } from '../data/imageSet.ts';
import { countClasses, outputKind, sumCrossEntropy } from './losses.ts';

/** The gradient of the mean cross-entropy with respect to one trainable weight, read back to the CPU. */
export interface WeightGradient {
  /** The weight's name, e.g. `conv2_1/branch/conv1/kernel`. */
  name: string;
  shape: number[];
  values: Float32Array;
  /** Euclidean norm of the gradient. */
  norm: number;
}

/** Options of {@link computeGradients}. */
export interface ComputeGradientsOptions {
  /** How images become inputs; use the training preprocess. Default none. */
  preprocess?: Preprocess;
  /** Runs the model in training mode (BN batch statistics, dropout on). Default true, as a training step. */
  training?: boolean;
}

/**
 * Returns the gradient of the mean cross-entropy of one batch with respect to every trainable weight,
 * without changing the weights: what a training step would apply before the optimiser. Used for
 * gradient-norm views and to check that two backends compute the same step. Note that training mode
 * updates BatchNormalization's moving statistics as a side effect, as a real step does.
 */
export async function computeGradients(
  model: tf.LayersModel,
  set: ImageSet,
  indices: ArrayLike<number>,
  options: ComputeGradientsOptions = {},
): Promise<WeightGradient[]> {
  const classes = countClasses(model);
  const kind = outputKind(model);
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  const grads = tf.tidy(() => {
    const { x, labels } = makeBatch(set, indices, { preprocess: options.preprocess });
    const { grads } = tf.variableGrads(() => {
      const output = model.apply(x, { training: options.training ?? true }) as tf.Tensor; // [batch, classes]
      return tf.div(sumCrossEntropy(output, labels, classes, kind), indices.length) as tf.Scalar;
    }, variables);
    return variables.map((v) => grads[v.name]);
  });
  try {
    const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
    return weights.map((w, i) => ({
      name: w.originalName ?? w.name,
      shape: [...grads[i].shape],
      values: values[i],
      norm: normOf(values[i]),
    }));
  } finally {
    tf.dispose(grads);
  }
}

/**
 * Compares two sets of gradients weight by weight and returns the worst relative error
 * ‖a − b‖ / max(‖a‖, ‖b‖, floor) and which weight it was.
 */
export function compareGradients(
  a: readonly WeightGradient[],
  b: readonly WeightGradient[],
  floor = 1e-12,
): { worst: number; weight: string; errors: { name: string; error: number }[] } {
  if (a.length !== b.length)
    throw new Error(`invalid gradients: ${a.length} and ${b.length} weights (expected the same model)`);
  const errors = a.map((ga, i) => {
    const gb = b[i];
    let diff = 0;
    for (let k = 0; k < ga.values.length; k++) diff += (ga.values[k] - gb.values[k]) ** 2;
    return { name: ga.name, error: Math.sqrt(diff) / Math.max(ga.norm, gb.norm, floor) };
  });
  const worst = errors.reduce((m, e) => (e.error > m.error ? e : m), { name: '', error: 0 });
  return { worst: worst.error, weight: worst.name, errors };
}

function normOf(values: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k] * values[k];
  return Math.sqrt(sum);
}
