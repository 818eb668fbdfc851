// The exported PyTorch module is the TF.js model: for every family the lessons use, the same parameter
// count, the same eval-mode output on a fixed input with the weights transferred (within 1e-4), and the
// same train-mode loss before and after one SGD step. Runs Debian's python3-torch.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src/lib/export/package.ts';
import { encodeSafetensors } from '../../../src/lib/export/weights.ts';
import { buildCifarResNet, type CifarResNetOptions } from '../../../src/lib/models/cifar.ts';
import { buildModel } from '../../../src/lib/models/registry.ts';
import { buildVgg } from '../../../src/lib/models/vgg.ts';
import { ACTIVATION_VARIANTS } from '../../../src/lib/models/activationVariants.ts';
import { SHORTCUT_VARIANTS } from '../../../src/lib/models/shortcuts.ts';
import { runPython, writePackage } from './torch.ts';

interface Case {
  name: string;
  build: () => tf.LayersModel;
  /** False where the model draws dropout masks in training, which two frameworks cannot draw alike. */
  trainStep?: boolean;
}

const small = { inputShape: [64, 64, 3] as [number, number, number], classes: 5 };
const cifar = (options: CifarResNetOptions) => () =>
  buildCifarResNet({ width: 0.25, inputShape: [28, 28, 1], classes: 10, ...options });

// A reader's own model from plain tf.layers: fused activations, a flatten of a 4×4 map.
function buildReaderModel(): tf.LayersModel {
  const model = tf.sequential({ name: 'reader-cnn' });
  model.add(
    tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'c1' }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'p1' }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'c2' }));
  model.add(tf.layers.batchNormalization({ name: 'bn2' }));
  model.add(tf.layers.activation({ activation: 'relu', name: 'a2' }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dropout({ rate: 0, name: 'drop' }));
  model.add(tf.layers.dense({ units: 7, activation: 'relu', name: 'd1' }));
  model.add(tf.layers.dense({ units: 3, name: 'out' }));
  return model;
}

const CASES: Case[] = [
  {
    name: 'vgg11',
    build: () => buildVgg({ depth: 11, width: 1 / 16, fcUnits: 24, inputShape: [64, 64, 3], classes: 5 }),
    trainStep: false,
  },
  {
    name: 'vgg16-no-dropout',
    build: () =>
      buildVgg({ depth: 16, width: 1 / 16, fcUnits: 24, dropout: 0, inputShape: [64, 64, 3], classes: 5 }),
  },
  {
    name: 'd2l-vgg11-small',
    build: () => buildModel('d2l-vgg11-small', { inputShape: [32, 32, 1], width: 0.25 }),
    trainStep: false,
  },
  { name: 'resnet18', build: () => buildModel('resnet18', { ...small, width: 1 / 8 }) },
  {
    name: 'resnet18-odd-input',
    build: () => buildModel('resnet18', { inputShape: [37, 37, 3], classes: 5, width: 1 / 8 }),
  },
  { name: 'resnet34', build: () => buildModel('resnet34', { ...small, width: 1 / 8 }) },
  ...[50, 101, 152].flatMap((depth) =>
    (['torchvision', 'paper'] as const).map((stridePlacement) => ({
      name: `resnet${depth}-${stridePlacement}`,
      build: () => buildModel(`resnet${depth}`, { ...small, width: 1 / 16, variants: { stridePlacement } }),
    })),
  ),
  {
    name: 'd2l-resnet18',
    build: () => buildModel('d2l-resnet18', { inputShape: [32, 32, 1], width: 1 / 8 }),
  },
  { name: 'cifar-resnet20-optionA', build: cifar({ depth: 20 }) },
  { name: 'cifar-resnet20-optionB', build: cifar({ depth: 20, downsample: 'projection' }) },
  { name: 'cifar-plain20', build: cifar({ depth: 20, plain: true }) },
  { name: 'cifar-resnet29-bottleneck', build: cifar({ depth: 29, branch: 'bottleneck' }) },
  {
    name: 'preact-resnet110',
    build: () => buildModel('preact-resnet110', { inputShape: [16, 16, 3], width: 0.25 }),
  },
  {
    name: 'preact-resnet164',
    build: () => buildModel('preact-resnet164', { inputShape: [16, 16, 3], width: 0.25 }),
  },
  ...[50, 101, 152].map((depth) => ({
    name: `resnet${depth}v2`,
    build: () => buildModel(`resnet${depth}v2`, { ...small, width: 1 / 16 }),
  })),
  ...SHORTCUT_VARIANTS.map((shortcut) => ({
    name: `shortcut-${shortcut}`,
    build: cifar({ depth: 8, shortcut }),
    trainStep: shortcut !== 'dropout',
  })),
  {
    name: 'shortcut-constantScaling-unscaled-residual',
    build: cifar({ depth: 8, shortcut: 'constantScaling', shortcutScale: 0.3, scaleResidual: false }),
  },
  {
    name: 'shortcut-exclusiveGating-bias',
    build: cifar({ depth: 8, shortcut: 'exclusiveGating', gateBias: -1 }),
  },
  { name: 'shortcut-dropout-rate0', build: cifar({ depth: 8, shortcut: 'dropout', dropoutRate: 0 }) },
  ...ACTIVATION_VARIANTS.map((activation) => ({
    name: `activation-${activation}`,
    build: cifar({ depth: 8, activation }),
  })),
  { name: 'reader-cnn', build: buildReaderModel },
];

interface Report {
  case: string;
  error?: string;
  params: number;
  buffers: number;
  output: number[];
  loss0: number;
  loss1: number;
}

interface Expected {
  params: number;
  buffers: number;
  output: Float32Array;
  loss0: number;
  loss1: number;
}

const BATCH = 8;
const root = mkdtempSync(join(tmpdir(), 'reslab-export-'));
const expected = new Map<string, Expected>();
const reports = new Map<string, Report>();

// Sets every BN's γ, β and moving statistics to seeded values, so that their transfer is checked too.
function perturbBatchNorms(model: tf.LayersModel, seed: number): void {
  for (const [i, layer] of model.layers.entries()) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const [c] = layer.getWeights()[0].shape;
    layer.setWeights([
      tf.randomUniform([c], 0.2, 0.6, 'float32', seed + 4 * i),
      tf.randomNormal([c], 0, 0.1, 'float32', seed + 4 * i + 1),
      tf.randomNormal([c], 0, 0.1, 'float32', seed + 4 * i + 2),
      tf.randomUniform([c], 0.5, 1.5, 'float32', seed + 4 * i + 3),
    ]);
  }
}

const crossEntropy = (logits: tf.Tensor, labels: tf.Tensor) =>
  tf.mean(
    tf.neg(tf.sum(tf.mul(tf.oneHot(labels as tf.Tensor1D, logits.shape[1]!), tf.logSoftmax(logits)), 1)),
  );

async function prepare(c: Case, index: number): Promise<void> {
  const model = c.build();
  perturbBatchNorms(model, 1000 * index);
  const [h, w, channels] = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  const x = tf.randomNormal([BATCH, h, w, channels], 0, 1, 'float32', index);
  const y = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => (i * 3 + index) % classes),
    'int32',
  );
  const files = await exportModel(model, { name: c.name, weights: true });
  const dir = join(root, c.name);
  writePackage(dir, files);
  const output = (await (model.predict(x) as tf.Tensor).data()) as Float32Array;
  // One plain-SGD step sized to lower the loss by about 0.01 to first order (rate = 0.01 / |g|²), so that
  // even the deepest nets, whose gradients at initialisation are large, take a small step.
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const loss = () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y) as tf.Scalar;
  const { value: loss0, grads } = tf.variableGrads(loss, variables);
  const norm2 = Object.values(grads).reduce(
    (sum, g) => sum + tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]),
    0,
  );
  const learningRate = Math.min(0.1, 0.01 / norm2);
  const sgd = tf.train.sgd(learningRate);
  sgd.applyGradients(grads);
  const loss1 = tf.tidy(loss);
  const nchw = tf.transpose(x, [0, 3, 1, 2]);
  const caseFile = encodeSafetensors(
    new Map([
      ['x', { dtype: 'F32' as const, shape: nchw.shape, data: (await nchw.data()) as Float32Array }],
      ['y', { dtype: 'F32' as const, shape: [BATCH], data: Float32Array.from(await y.data()) }],
      ['lr', { dtype: 'F32' as const, shape: [], data: Float32Array.of(learningRate) }],
    ]),
  );
  writePackage(dir, [{ path: 'case.safetensors', content: caseFile }]);
  tf.dispose(Object.values(grads));
  const count = (weights: tf.LayerVariable[]) =>
    weights.reduce((n, v) => n + tf.util.sizeFromShape(v.shape as number[]), 0);
  expected.set(dir, {
    params: count(model.trainableWeights),
    buffers: count(model.nonTrainableWeights),
    output: Float32Array.from(output),
    loss0: (await loss0.data())[0],
    loss1: (await loss1.data())[0],
  });
  tf.dispose([x, y, nchw, loss0, loss1]);
  sgd.dispose();
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [i, c] of CASES.entries()) await prepare(c, i);
  const result = runPython(['tests/python/check_export.py', ...CASES.map((c) => join(root, c.name))]);
  if (result.status !== 0) throw new Error(`check_export.py failed:\n${result.stderr}`);
  for (const line of result.stdout.trim().split('\n')) {
    const report = JSON.parse(line) as Report;
    reports.set(report.case, report);
  }
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PyTorch export equals the TF.js model', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const dir = join(root, name);
    const report = reports.get(dir);
    const want = expected.get(dir)!;
    expect(report?.error).toBeUndefined();
    expect(report!.params).toBe(want.params);
    expect(report!.buffers).toBe(want.buffers);
    expect(report!.output).toHaveLength(want.output.length);
    const worst = Math.max(...report!.output.map((v, i) => Math.abs(v - want.output[i])));
    expect(worst).toBeLessThanOrEqual(1e-4);
    if (c.trainStep !== false) {
      expect(Math.abs(report!.loss0 - want.loss0)).toBeLessThanOrEqual(1e-4);
      // The step lowers the loss in both, by the same amount: within 1e-4, or 10% where the net is so deep
      // that float32 rounding, amplified by BN's gradients at initialisation, moves the gradient by percents.
      const step = want.loss1 - want.loss0;
      expect(step).toBeLessThan(-1e-3);
      expect(Math.abs(report!.loss1 - report!.loss0 - step)).toBeLessThanOrEqual(
        Math.max(1e-4, 0.1 * Math.abs(step)),
      );
    }
  });
});
