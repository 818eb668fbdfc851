import * as tf from '@tensorflow/tfjs';

/** What a model's output is: logits (the library's models, as PyTorch) or softmax probabilities. */
export type OutputKind = 'logits' | 'probabilities';

/** Finds whether a model ends in a softmax (a dense layer with softmax activation, or a softmax layer). */
export function outputKind(model: tf.LayersModel): OutputKind {
  const last = model.layers[model.layers.length - 1];
  const config = last?.getConfig() as { activation?: string };
  return config?.activation === 'softmax' || last?.getClassName() === 'Softmax' ? 'probabilities' : 'logits';
}

/** The number of classes: the last dimension of the model's output. */
export function countClasses(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  const classes = shape[shape.length - 1];
  if (typeof classes !== 'number' || classes < 2) {
    throw new Error(
      `invalid model: output shape [${shape.join(', ')}] (expected [batch, classes] with 2 or more classes)`,
    );
  }
  return classes;
}

/** Returns the summed cross-entropy of a batch (a scalar), from logits or probabilities. */
export function sumCrossEntropy(
  output: tf.Tensor,
  labels: tf.Tensor1D,
  classes: number,
  kind: OutputKind,
): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, classes); // [batch, classes]
    const logProbabilities =
      kind === 'logits' ? tf.logSoftmax(output) : tf.log(tf.clipByValue(output, 1e-7, 1));
    return tf.neg(tf.sum(tf.mul(oneHot, logProbabilities)));
  });
}

/** Returns the number of correct top-1 predictions in a batch (a float scalar, summable on the device). */
export function countCorrect(output: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels), 'float32')));
}
