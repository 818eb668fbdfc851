import * as tf from '@tensorflow/tfjs';

/** The optimisers the papers and seed articles use. */
export type OptimizerName = 'sgd' | 'adam';

/** Settings of {@link createOptimizer}. */
export interface OptimizerSettings {
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD momentum (0 = plain SGD). PyTorch's and TF.js's forms agree: v ← μv + g; w ← w − ηv. */
  momentum: number;
  nesterov: boolean;
}

/** Creates a TF.js optimiser. Weight decay is not here: TF.js optimisers lack it (see {@link addWeightDecay}). */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  const { optimizer, learningRate, momentum, nesterov } = settings;
  if (optimizer === 'adam') return tf.train.adam(learningRate);
  return momentum > 0 ? tf.train.momentum(learningRate, momentum, nesterov) : tf.train.sgd(learningRate);
}

/** Sets an optimiser's learning rate for the next update (SGD and momentum keep it as a scalar tensor; Adam as a number). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as tf.Optimizer & { learningRate: number; setLearningRate?: (rate: number) => void };
  if (o.learningRate === rate) return;
  if (o.setLearningRate) o.setLearningRate(rate);
  else o.learningRate = rate;
}

/**
 * Returns true for the weights weight decay applies to: convolution and dense kernels (names ending
 * in `kernel`, which covers `depthwise_kernel` and custom `gate_kernel`), not biases or BN γ/β,
 * as in the papers' Caffe/Torch setups and common practice.
 */
export function isDecayedWeight(weight: { originalName?: string; name: string }): boolean {
  return /kernel$/.test(weight.originalName ?? weight.name);
}

/**
 * Adds `decay × w` to the gradient of every decayed weight: the gradient of the L2 penalty
 * (decay/2)·Σw², i.e. PyTorch's `weight_decay=decay` for SGD and Adam (coupled L2, not AdamW).
 * Disposes the replaced gradients; call inside tf.tidy.
 */
export function addWeightDecay(
  grads: tf.NamedTensorMap,
  weights: readonly tf.LayerVariable[],
  decay: number,
): tf.NamedTensorMap {
  if (decay === 0) return grads;
  const out: tf.NamedTensorMap = { ...grads };
  for (const weight of weights) {
    if (!isDecayedWeight(weight)) continue;
    const variable = weight.read() as tf.Variable;
    const grad = grads[variable.name];
    if (!grad) continue;
    out[variable.name] = tf.add(grad, tf.mul(variable, decay));
  }
  return out;
}

/**
 * Disposes an optimiser and its slot variables. TF.js 4.22's `MomentumOptimizer.dispose` does not
 * call `SGDOptimizer.dispose`, so the learning-rate scalar `c` would leak one tensor per run.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const rate = (optimizer as { c?: tf.Tensor }).c;
  if (rate && !rate.isDisposed) rate.dispose();
}
