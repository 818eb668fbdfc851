import * as tf from '@tensorflow/tfjs';

// TF.js 4.22's gradient of FusedBatchNorm (tfjs-core/src/gradients/FusedBatchNorm_grad.ts) tiles 1/σ,
// a [C] vector, to the activation's full [N, H, W, C] shape before multiplying it into dy. Broadcasting
// gives the same numbers without the copy, and the copy is not cheap: on the wasm backend the Tile kernel
// took a quarter of a ResNet-20 training step (profiled: `npm run bench`). This registers the same
// gradient, term for term (Ioffe & Szegedy 2015, §3), with broadcasting in place of the tile.

type Saved = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];

function batchNormGradient(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) {
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  const [x, mean, variance, scale] = saved as Saved;
  const scaleValue = scale ?? tf.scalar(1);
  const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
  const reduce = (t: tf.Tensor) => (mean.rank === 1 ? tf.sum(t, reductionAxes) : t);
  const xMinusMean = tf.sub(x, mean);
  const dyTimesScale = tf.mul(dy, scaleValue);
  const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
  const minusHalfRCube = tf.mul(
    tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance),
    tf.scalar(-0.5),
  );
  return {
    x: () => tf.reshape(tf.mul(tf.mul(dy, oneOverSqrtVariance), scaleValue), x.shape),
    mean: () =>
      tf.reshape(reduce(tf.mul(tf.mul(oneOverSqrtVariance, tf.scalar(-1)), dyTimesScale)), mean.shape),
    variance: () => tf.reshape(reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)), mean.shape),
    scale: () => tf.reshape(reduce(tf.mul(dy, tf.mul(xMinusMean, oneOverSqrtVariance))), mean.shape),
    offset: () => tf.reshape(reduce(dy), mean.shape),
  };
}

/** Replaces TF.js's FusedBatchNorm gradient with the broadcasting one above (once; every backend). */
export function registerBatchNormGradient(): void {
  const current = tf.getGradient('FusedBatchNorm');
  if (current?.gradFunc === (batchNormGradient as unknown)) return;
  // Unregister first: registering over an existing gradient logs a warning on every page load.
  if (current) tf.unregisterGradient('FusedBatchNorm');
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: batchNormGradient as unknown as tf.GradFunc,
  });
}
