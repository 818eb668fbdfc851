import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { gradientFlow } from '../../../src/lib/gradientFlow.ts';
import { buildCifarResNet } from '../../../src/lib/index.ts';

/** Two dense "blocks" with known weights, so the gradient can be worked out by hand. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const hidden = tf.layers.dense({ units: 2, useBias: false, name: 'block1/fc', kernelInitializer: 'ones' });
  const output = tf.layers.dense({ units: 2, useBias: false, name: 'block2/fc', kernelInitializer: 'zeros' });
  return tf.model({ inputs: input, outputs: output.apply(hidden.apply(input)) as tf.SymbolicTensor });
}

describe('gradientFlow', () => {
  test('matches the hand-derived gradient of a two-layer linear model', async () => {
    const model = tinyModel();
    const images = tf.tensor2d([[1, 2]]);
    const labels = tf.tensor1d([0], 'int32');
    const flow = await gradientFlow(model, images, labels);
    // h = x·1 = [3, 3]; logits = h·0 = [0, 0]; p = [½, ½]; ∂L/∂logits = p − y = [−½, ½].
    // ∂L/∂W2 = hᵀ(p − y) = [[−1.5, 1.5], [−1.5, 1.5]] → norm 3. ∂L/∂h = (p − y)W2ᵀ = 0 → ∂L/∂W1 = 0.
    expect(flow.map((entry) => entry.block)).toEqual(['block1', 'block2']);
    expect(flow[0].gradientNorm).toBeCloseTo(0, 6);
    expect(flow[1].gradientNorm).toBeCloseTo(3, 5);
    expect(flow[0].weightNorm).toBeCloseTo(2, 6); // four ones
    expect(flow[1].relative).toBe(Infinity); // zero weights
    model.dispose();
    tf.dispose([images, labels]);
  });

  test('covers every block of a ResNet, input side first, and leaves BN statistics and memory as they were', async () => {
    const model = buildCifarResNet({ depth: 8, width: 0.25, inputShape: [8, 8, 1], classes: 3, seed: 1 });
    const images = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 7);
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    const before = model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    const tensors = tf.memory().numTensors;
    const flow = await gradientFlow(model, images, labels);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()))).toEqual(before);
    expect(flow[0].block).toBe('conv1');
    expect(flow.at(-1)!.block).toBe('fc');
    expect(flow.every((entry) => entry.gradientNorm > 0 && Number.isFinite(entry.gradientNorm))).toBe(true);
    model.dispose();
    tf.dispose([images, labels]);
  });
});
