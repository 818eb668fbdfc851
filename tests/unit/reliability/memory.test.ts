import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkTrainingMemory,
  estimateTrainingMemory,
  TRAINING_MEMORY_LIMIT_BYTES,
} from '../../../src/lib/memory.ts';

beforeAll(() => tf.setBackend('cpu'));

describe('estimateTrainingMemory', () => {
  it('counts weights, gradients, optimizer slots and activations by hand for a small MLP', () => {
    // flatten [28,28,1] → 784, dense 784×100+100 = 78,500, dense 100×10+10 = 1,010.
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28, 1] }),
        tf.layers.dense({ units: 100, activation: 'relu' }),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const params = 78_500 + 1_010;
    const activations = 784 + 100 + 10; // numbers per image
    const sgd = estimateTrainingMemory(model, 32);
    expect(sgd).toEqual({
      weights: params * 4,
      gradients: params * 4,
      optimizer: params * 4,
      activations: 2 * 32 * activations * 4,
      total: params * 12 + 2 * 32 * activations * 4,
      batchSize: 32,
    });
    expect(estimateTrainingMemory(model, 32, { optimizer: 'adam' }).optimizer).toBe(params * 8);
    model.dispose();
  });

  it('counts BatchNorm moving statistics as weights but not as trained, and nested blocks layer by layer', () => {
    const block = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 3],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          useBias: false,
        }),
        tf.layers.batchNormalization(),
      ],
    });
    const model = tf.sequential({ layers: [block, tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const conv = 3 * 3 * 3 * 4;
    const bn = 4 * 4; // gamma, beta (trainable) + moving mean, variance
    const dense = 8 * 8 * 4 * 2 + 2;
    const estimate = estimateTrainingMemory(model, 1);
    expect(estimate.weights).toBe((conv + bn + dense) * 4);
    expect(estimate.gradients).toBe((conv + 8 + dense) * 4);
    // conv and BN outputs (256 each), flatten (256), dense (2): the nested block's layers are counted.
    expect(estimate.activations).toBe(2 * (256 + 256 + 256 + 2) * 4);
    model.dispose();
  });

  it('rejects a batch size that is not a positive integer', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
    expect(() => estimateTrainingMemory(model, 0)).toThrow(
      /^invalid batchSize: 0 \(expected a positive integer\)/,
    );
    model.dispose();
  });
});

describe('checkTrainingMemory', () => {
  it('warns with the estimate for a model too large for a tab, and says nothing for a small one', () => {
    const big = tf.sequential({
      name: 'wide',
      layers: [tf.layers.conv2d({ inputShape: [512, 512, 3], filters: 64, kernelSize: 3, padding: 'same' })],
    });
    // 2 (output and its gradient) × 64 images × 512² × 64 channels × 4 bytes = 8 GiB of activations.
    const warning = checkTrainingMemory(big, 64);
    expect(warning).toMatch(/^Training “wide” at batch size 64 needs about 8\.0 GiB \(activations 8\.0 GiB/);
    expect(warning).toMatch(/more than the 1\.0 GiB a browser tab can count on/);
    expect(checkTrainingMemory(big, 1, 64 * TRAINING_MEMORY_LIMIT_BYTES)).toBeNull();
    const small = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    expect(checkTrainingMemory(small, 64)).toBeNull();
    big.dispose();
    small.dispose();
  });
});
