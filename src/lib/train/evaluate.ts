import * as tf from '@tensorflow/tfjs';
import { makeBatch, sequentialBatches, type Preprocess } from '../data/batches.ts';
import type { ImageSet } from '../data/imageSet.ts';
import { ABORTED, raceAbort } from './abortable.ts';
import { countClasses, countCorrect, outputKind, sumCrossEntropy } from './losses.ts';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Images per forward pass. Default 256. */
  batchSize?: number;
  /** How batches are made (size, channels, normalisation); use the same as for training. Default none. */
  preprocess?: Preprocess;
  /** Stops between batches when aborted (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Returns a model's mean cross-entropy and top-1 accuracy on a split, in inference mode (BN moving
 * statistics, no dropout). Sums stay on the device; there is one read-back at the end.
 */
export async function evaluate(
  model: tf.LayersModel,
  split: ImageSet,
  options: EvaluateOptions = {},
): Promise<{ loss: number; accuracy: number }> {
  const batchSize = options.batchSize ?? 256;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new Error(`invalid batchSize: ${batchSize} (expected a positive integer)`);
  }
  if (split.count === 0) throw new Error('invalid split: 0 images (expected at least one)');
  const classes = countClasses(model);
  const kind = outputKind(model);
  // Running sums live on the device; each step replaces them, disposing the previous pair.
  let lossSum: tf.Scalar = tf.scalar(0);
  let correctSum: tf.Scalar = tf.scalar(0);
  try {
    for (const indices of sequentialBatches(split.count, batchSize)) {
      options.signal?.throwIfAborted();
      const [nextLoss, nextCorrect] = tf.tidy(() => {
        const { x, labels } = makeBatch(split, indices, { preprocess: options.preprocess });
        const output = model.apply(x, { training: false }) as tf.Tensor;
        return [
          tf.add(lossSum, sumCrossEntropy(output, labels, classes, kind)),
          tf.add(correctSum, countCorrect(output, labels)),
        ];
      });
      tf.dispose([lossSum, correctSum]);
      lossSum = nextLoss as tf.Scalar;
      correctSum = nextCorrect as tf.Scalar;
    }
    const read = await raceAbort(Promise.all([lossSum.data(), correctSum.data()]), options.signal);
    if (read === ABORTED) options.signal!.throwIfAborted();
    const [loss, correct] = read as [Float32Array, Float32Array];
    return { loss: loss[0] / split.count, accuracy: correct[0] / split.count };
  } finally {
    tf.dispose([lossSum, correctSum]);
  }
}
