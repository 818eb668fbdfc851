import * as tf from '@tensorflow/tfjs';

/** Runs a sub-graph of `model` from its input to the named layers' outputs. */
export function probe(model: tf.LayersModel, names: string[], x: tf.Tensor): tf.Tensor[] {
  const sub = tf.model({
    inputs: model.inputs,
    outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor),
  });
  const out = sub.predict(x);
  return Array.isArray(out) ? out : [out];
}
