import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDecayedWeight } from '../../../src/lib/train/optimizers.ts';
import { train } from '../../../src/lib/train/train.ts';
import { buildTinyConvNet, collect, quadrantImages } from './fixtures.ts';

beforeAll(() => tf.setBackend('cpu'));

const data = { train: quadrantImages(64) };
const weightsOf = (model: tf.LayersModel) =>
  Object.fromEntries(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));

describe('weight decay', () => {
  it('applies to conv and dense kernels only', () => {
    const model = buildTinyConvNet(1);
    expect(model.trainableWeights.filter(isDecayedWeight).map((w) => w.originalName)).toEqual([
      'conv1/kernel',
      'fc/kernel',
    ]);
    model.dispose();
  });

  it('adds decay × w to the kernel gradients (one plain SGD step against the closed form)', async () => {
    const rate = 0.1;
    const decay = 0.05;
    const step = async (weightDecay: number) => {
      const model = buildTinyConvNet(7);
      const before = weightsOf(model);
      await collect(
        train(model, data, { epochs: 1, batchSize: 64, momentum: 0, learningRate: rate, weightDecay }),
      );
      const after = weightsOf(model);
      model.dispose();
      return { before, after };
    };
    const plain = await step(0);
    const decayed = await step(decay);
    // Same start, same batch: the only difference is −η·λ·w on kernels, and none on γ, β, biases.
    for (const name of ['conv1/kernel', 'fc/kernel']) {
      decayed.after[name].forEach((v, i) =>
        expect(v - plain.after[name][i]).toBeCloseTo(-rate * decay * plain.before[name][i], 6),
      );
    }
    for (const name of ['bn1/gamma', 'bn1/beta', 'fc/bias'])
      expect(decayed.after[name]).toEqual(plain.after[name]);
  });

  it('shrinks the kernels over training compared with no decay', async () => {
    const norm = async (weightDecay: number) => {
      const model = buildTinyConvNet(2);
      await collect(train(model, data, { epochs: 5, batchSize: 16, weightDecay, learningRate: 0.05 }));
      const kernel = model.getLayer('fc').getWeights()[0];
      const value = tf.tidy(() => tf.norm(kernel).dataSync()[0]);
      model.dispose();
      return value;
    };
    expect(await norm(0.05)).toBeLessThan((await norm(0)) * 0.95);
  });
});
