import * as tf from '@tensorflow/tfjs';
import { makeBatch, preprocessImages, type Preprocess } from '../data/batches.ts';
import type { ImageSet } from '../data/imageSet.ts';
import { outputKind } from './losses.ts';

/** One image's prediction: the class probabilities, the predicted class and, for a dataset image, its label. */
export interface Classification {
  kind: 'classification';
  /** One entry per class, in label order. */
  probabilities: { className: string; probability: number }[];
  /** Index of the most probable class. */
  predicted: number;
  predictedName: string;
  /** The true label, when the image came from a labelled set. */
  label?: number;
  labelName?: string;
}

/** Options of {@link classify}. */
export interface ClassifyOptions {
  /** How the image becomes a model input; use the training preprocess. Default none. */
  preprocess?: Preprocess;
  /** Names of the classes in label order. Default `class 0`, `class 1`, … */
  classNames?: readonly string[];
}

/** An image to classify: a dataset image by index, or pixels in [0, 1] as [h, w, c] or [1, h, w, c]. */
export type ClassifyInput = { set: ImageSet; index: number } | tf.Tensor3D | tf.Tensor4D;

/**
 * Classifies one image in inference mode and returns every class's probability (softmax of the logits),
 * as the seed articles do for a test image or the reader's own.
 */
export async function classify(
  model: tf.LayersModel,
  input: ClassifyInput,
  options: ClassifyOptions = {},
): Promise<Classification> {
  const fromSet = !(input instanceof tf.Tensor);
  if (fromSet && !(Number.isInteger(input.index) && input.index >= 0 && input.index < input.set.count))
    throw new Error(`invalid index: ${input.index} (expected 0 to ${input.set.count - 1})`);
  const probabilities = tf.tidy(() => {
    let x: tf.Tensor4D;
    if (fromSet) x = makeBatch(input.set, [input.index], { preprocess: options.preprocess }).x;
    else {
      const batch = (input.rank === 3 ? input.expandDims(0) : input) as tf.Tensor4D; // [1, h, w, c]
      if (batch.shape[0] !== 1)
        throw new Error(`invalid image: shape [${input.shape.join(', ')}] (expected one image)`);
      x = preprocessImages(batch, options.preprocess);
    }
    const output = model.apply(x, { training: false }) as tf.Tensor; // [1, classes]
    return outputKind(model) === 'logits' ? tf.softmax(output) : output;
  });
  const values = Array.from(await probabilities.data());
  probabilities.dispose();
  const nameOf = (i: number) => options.classNames?.[i] ?? `class ${i}`;
  const predicted = values.indexOf(Math.max(...values));
  const label = fromSet ? input.set.labels[input.index] : undefined;
  return {
    kind: 'classification',
    probabilities: values.map((probability, i) => ({ className: nameOf(i), probability })),
    predicted,
    predictedName: nameOf(predicted),
    ...(label !== undefined ? { label, labelName: nameOf(label) } : {}),
  };
}
