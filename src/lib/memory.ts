/** The part of a TF.js layer the estimate reads (duck-typed, so this module needs no TF.js at run time). */
interface LayerLike {
  outputShape: (number | null)[] | (number | null)[][];
  countParams(): number;
  /** Present on a nested model (a block used as a layer): its own layers are counted instead. */
  layers?: LayerLike[];
}

/** The part of a TF.js model the estimate reads. */
export interface ModelLike {
  name?: string;
  layers: LayerLike[];
  countParams(): number;
  trainableWeights: { shape: (number | null)[] }[];
}

/** Options of {@link estimateTrainingMemory}. */
export interface TrainingMemoryOptions {
  /** `sgd` keeps one momentum slot per weight, `adam` two. Default `sgd`, as `train()`. */
  optimizer?: 'sgd' | 'adam';
  /** Bytes per number. Default 4 (float32, what TF.js trains in). */
  bytesPerNumber?: number;
}

/** Estimated memory of one training step, in bytes, by what it is for. */
export interface TrainingMemoryEstimate {
  /** All weights, trainable and not (BatchNorm moving statistics). */
  weights: number;
  /** One gradient per trainable weight. */
  gradients: number;
  /** Optimizer slots (momentum; Adam's two moments). */
  optimizer: number;
  /** Every layer's output for the batch, kept for the backward pass, plus its gradient. */
  activations: number;
  total: number;
  batchSize: number;
}

/**
 * What a browser tab can count on for training: WebGPU and WebGL share the GPU with the rest of the
 * system, and an integrated GPU's share is often 1–2 GiB, so beyond 1 GiB the page warns first.
 */
export const TRAINING_MEMORY_LIMIT_BYTES = 1024 ** 3;

const sizeOf = (shape: (number | null)[]) => shape.reduce<number>((n, d) => n * (d ?? 1), 1);

function countActivations(layers: LayerLike[]): number {
  let numbers = 0;
  for (const layer of layers) {
    if (layer.layers) {
      numbers += countActivations(layer.layers);
      continue;
    }
    const shape = layer.outputShape;
    const shapes = Array.isArray(shape[0]) ? (shape as (number | null)[][]) : [shape as (number | null)[]];
    for (const one of shapes) numbers += sizeOf(one); // the batch dimension (null) counts as 1 here
  }
  return numbers;
}

/**
 * Estimates the memory one training step of `model` needs at `batchSize`: weights, gradients, optimizer
 * slots and activations (each layer's output kept for backpropagation, and its gradient). It is a
 * lower bound (TF.js keeps some temporaries too), good for telling a model that fits from one that
 * cannot.
 */
export function estimateTrainingMemory(
  model: ModelLike,
  batchSize: number,
  options: TrainingMemoryOptions = {},
): TrainingMemoryEstimate {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`invalid batchSize: ${batchSize} (expected a positive integer)`);
  const bytes = options.bytesPerNumber ?? 4;
  const slots = options.optimizer === 'adam' ? 2 : 1;
  const trainable = model.trainableWeights.reduce((n, w) => n + sizeOf(w.shape), 0);
  const weights = model.countParams() * bytes;
  const gradients = trainable * bytes;
  const optimizer = trainable * slots * bytes;
  const activations = 2 * batchSize * countActivations(model.layers) * bytes;
  return {
    weights,
    gradients,
    optimizer,
    activations,
    total: weights + gradients + optimizer + activations,
    batchSize,
  };
}

const formatGiB = (bytes: number) =>
  bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
    : bytes >= 1024 ** 2
      ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
      : `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Returns a warning when training `model` at `batchSize` would need more than `limit` bytes (default
 * {@link TRAINING_MEMORY_LIMIT_BYTES}), saying how much and what to change; null when it fits.
 */
export function checkTrainingMemory(
  model: ModelLike,
  batchSize: number,
  limit = TRAINING_MEMORY_LIMIT_BYTES,
  options: TrainingMemoryOptions = {},
): string | null {
  const estimate = estimateTrainingMemory(model, batchSize, options);
  if (estimate.total <= limit) return null;
  const name = model.name ? `“${model.name}”` : 'this model';
  return (
    `Training ${name} at batch size ${batchSize} needs about ${formatGiB(estimate.total)} ` +
    `(activations ${formatGiB(estimate.activations)}, weights with gradients and optimizer ` +
    `${formatGiB(estimate.weights + estimate.gradients + estimate.optimizer)}), more than the ` +
    `${formatGiB(limit)} a browser tab can count on: it may fail or freeze the page. ` +
    `Use a smaller batch size, smaller images or a narrower model.`
  );
}
