// The wasm backend's training kernels against the CPU backend (TF.js's reference implementation): each
// added gradient over strides, paddings, kernel sizes and odd shapes, then one whole training step of
// the lessons' model families.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildCifarResNet, buildPreactCifarResNet } from '../../../src/lib/models/cifar.ts';
import { buildVgg } from '../../../src/lib/models/vgg.ts';
import { registerWasmTrainingKernels } from '../../../src/lib/wasmKernels.ts';
import { createRandom } from '../../../src/lib/data/random.ts';

tf.env().set('PROD', true);
registerWasmTrainingKernels();

/** Largest |a − b| over the largest |b|: an error relative to the tensor's scale. */
function relativeError(a: Float32Array | number[], b: Float32Array | number[]): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

function values(shape: number[], seed: number): Float32Array {
  const random = createRandom(seed);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = random.next() * 2 - 1;
  return out;
}

/** The gradient of a weighted sum of conv2d's output (every element of dy differs) with respect to `of`. */
async function convGradient(
  of: 'filter' | 'input',
  backend: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number,
  pad: 'same' | 'valid' | number,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(xShape, 1), xShape);
    const filter = tf.tensor4d(values(filterShape, 2), filterShape);
    const shape = conv(x, filter, strides, pad).shape;
    const weights = tf.tensor(values([...shape], 3), shape);
    const grad =
      of === 'filter'
        ? tf.grad((f: tf.Tensor) =>
            conv(x, f as tf.Tensor4D, strides, pad)
              .mul(weights)
              .sum(),
          )(filter)
        : tf.grad((input: tf.Tensor) =>
            conv(input as tf.Tensor4D, filter, strides, pad)
              .mul(weights)
              .sum(),
          )(x);
    return grad.dataSync() as Float32Array;
  });
}

function conv(x: tf.Tensor4D, filter: tf.Tensor4D, strides: number, pad: 'same' | 'valid' | number) {
  return tf.conv2d(x, filter, strides, pad);
}

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm', () => {
  test('both convolution gradients are registered for wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
  });

  const cases: [
    string,
    [number, number, number, number],
    [number, number, number, number],
    number,
    'same' | 'valid' | number,
  ][] = [
    ['3×3 stride 1 same', [2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    ['3×3 stride 2 same, even input', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
    ['3×3 stride 2 same, odd input', [3, 7, 9, 2], [3, 3, 2, 5], 2, 'same'],
    ['3×3 stride 2 valid, rows left over', [2, 8, 8, 3], [3, 3, 3, 2], 2, 'valid'],
    ['1×1 stride 1', [4, 5, 5, 6], [1, 1, 6, 3], 1, 'valid'],
    ['1×1 stride 2 (projection shortcut)', [2, 8, 8, 4], [1, 1, 4, 8], 2, 'same'],
    ['7×7 stride 2 same (ImageNet stem)', [1, 17, 17, 3], [7, 7, 3, 4], 2, 'same'],
    ['5×5 stride 1 valid', [1, 9, 6, 1], [5, 5, 1, 2], 1, 'valid'],
    ['3×3 stride 3 explicit padding 1', [2, 10, 11, 2], [3, 3, 2, 3], 3, 1],
    ['2×2 stride 2 valid, batch 1, one channel', [1, 6, 6, 1], [2, 2, 1, 1], 2, 'valid'],
  ];
  describe.each(['filter', 'input'] as const)('the %s gradient', (of) => {
    test.each(cases)('%s matches the CPU backend', async (_name, xShape, filterShape, strides, pad) => {
      const cpu = await convGradient(of, 'cpu', xShape, filterShape, strides, pad);
      const wasm = await convGradient(of, 'wasm', xShape, filterShape, strides, pad);
      expect(wasm.length).toBe(cpu.length);
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
    });
  });

  test('leaves no tensor data behind', async () => {
    await tf.setBackend('wasm');
    await convGradient('filter', 'wasm', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'valid');
    const before = tf.memory().numTensors;
    const dataBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    await convGradient('filter', 'wasm', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'valid');
    await convGradient('input', 'wasm', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same');
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(dataBefore);
  });
});

/** Runs one SGD-with-momentum step on a fixed batch and returns the loss and every weight after it. */
async function trainingStep(backend: string, build: () => tf.LayersModel, start: Float32Array[] | null) {
  await tf.setBackend(backend);
  const model = build();
  if (start) model.setWeights(model.getWeights().map((w, i) => tf.tensor(start[i], w.shape)));
  const initial = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const shape = model.inputs[0].shape.slice(1) as number[];
  const x = tf.tensor(values([8, ...shape], 7), [8, ...shape]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
  const optimizer = tf.train.momentum(0.1, 0.9);
  const loss = optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
  )!;
  const after = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  const result = { loss: loss.dataSync()[0], initial, after, names: model.weights.map((w) => w.name) };
  tf.dispose([x, y, loss]);
  optimizer.dispose();
  model.dispose();
  return result;
}

describe('one training step on wasm equals the CPU backend', () => {
  const families: [string, () => tf.LayersModel][] = [
    [
      'ResNet-8 (option A shortcuts, BN)',
      () => buildCifarResNet({ depth: 8, width: 0.25, inputShape: [16, 16, 1], seed: 3 }),
    ],
    [
      'pre-activation ResNet-8 with projection shortcuts',
      () =>
        buildPreactCifarResNet({
          depth: 8,
          width: 0.25,
          inputShape: [16, 16, 1],
          seed: 3,
          downsample: 'projection',
        }),
    ],
    [
      'ResNet-8 with exclusive gating',
      () =>
        buildCifarResNet({
          depth: 8,
          width: 0.25,
          inputShape: [16, 16, 1],
          seed: 3,
          shortcut: 'exclusiveGating',
        }),
    ],
    [
      'VGG-11 (max pooling, dense layers; dropout off, since it draws random masks)',
      () =>
        buildVgg({
          depth: 11,
          width: 0.0625,
          inputShape: [32, 32, 1],
          classes: 10,
          seed: 3,
          fcUnits: 32,
          dropout: 0,
        }),
    ],
  ];
  test.each(families)('%s', async (_name, build) => {
    const cpu = await trainingStep('cpu', build, null);
    const wasm = await trainingStep('wasm', build, cpu.initial);
    expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss).toBeLessThan(1e-4);
    // The step changed the weights (so the comparison below compares gradients, not the initial values).
    const moved = cpu.after.filter((w, i) => relativeError(w, cpu.initial[i]) > 1e-4).length;
    expect(moved).toBeGreaterThan(cpu.after.length / 2);
    for (let i = 0; i < cpu.after.length; i++) {
      const change = (a: Float32Array) => a.map((v, j) => v - cpu.initial[i][j]);
      expect({
        weight: cpu.names[i],
        error: relativeError(change(wasm.after[i]), change(cpu.after[i])) < 1e-3,
      }).toEqual({ weight: cpu.names[i], error: true });
    }
  });
});
