// The broadcasting FusedBatchNorm gradient gives TF.js's numbers, and no longer tiles.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';
import { registerBatchNormGradient } from '../../../src/lib/batchNormGradient.ts';
import { createRandom } from '../../../src/lib/data/random.ts';
import { registerWasmTrainingKernels } from '../../../src/lib/wasmKernels.ts';

tf.env().set('PROD', true);
registerWasmTrainingKernels();

const values = (n: number, seed: number) => {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random.next() * 2 - 1);
};

/** Gradients of a weighted sum of batch norm in training mode (batch statistics) w.r.t. x, scale, offset. */
function gradients(shape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const channels = shape.at(-1)!;
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(values(size, 1), shape);
    const scale = tf.tensor1d(values(channels, 2));
    const offset = tf.tensor1d(values(channels, 3));
    const weights = tf.tensor(values(size, 4), shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const f = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, axes);
      return tf.batchNorm(input, mean, variance, beta, gamma, 1e-3).mul(weights).sum();
    };
    return tf
      .grads(f)([x, scale, offset])
      .map((g) => g.dataSync() as Float32Array);
  });
}

const relativeError = (a: Float32Array, b: Float32Array) => {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
};

describe('registerBatchNormGradient', () => {
  test('gives the same gradients as TF.js for x, scale and offset, for 4-D and 2-D inputs', async () => {
    await tf.setBackend('cpu');
    const shapes = [
      [4, 5, 3, 6],
      [8, 7],
    ];
    const before = shapes.map(gradients);
    const original = tf.getGradient('FusedBatchNorm')!.gradFunc;
    registerBatchNormGradient();
    expect(tf.getGradient('FusedBatchNorm')!.gradFunc).not.toBe(original);
    const after = shapes.map(gradients);
    for (const [i, grads] of after.entries())
      for (const [j, grad] of grads.entries()) expect(relativeError(grad, before[i][j])).toBeLessThan(1e-6);
  });

  test('runs no Tile kernel in a training step on wasm', async () => {
    registerBatchNormGradient();
    await tf.setBackend('wasm');
    const profile = await tf.profile(() => void gradients([8, 6, 6, 4]));
    expect(profile.kernelNames).toContain('FusedBatchNorm');
    expect(profile.kernelNames).not.toContain('Tile');
  });
});
