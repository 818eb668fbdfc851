import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON_SOURCES_FILE, renderPythonSources } from '../../../src/cli/pythonSources.ts';
import { describeArchitecture } from '../../../src/lib/export/architecture.ts';
import { snakeCase } from '../../../src/lib/export/pythonModel.ts';
import { exportExperiment, exportModel } from '../../../src/lib/export/package.ts';
import { decodeSafetensors, encodeSafetensors } from '../../../src/lib/export/weights.ts';
import { getExperiment } from '../../../src/lib/experiments/registry.ts';
import { buildModel } from '../../../src/lib/models/registry.ts';
import { RESIDUAL_UNIT_DEFAULTS } from '../../../src/lib/models/residualUnit.ts';
import { PACKAGE_FILES, runPython, runPythonJson, writePackage } from './torch.ts';

const text = (files: { path: string; content: string | Uint8Array }[], path: string) =>
  String(files.find((f) => f.path === path)?.content);

const root = mkdtempSync(join(tmpdir(), 'reslab-exporter-'));
beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the Python sources', () => {
  it('pythonSources.ts is what `npm run python-sources` makes of the .py files', () => {
    expect(readFileSync(PYTHON_SOURCES_FILE, 'utf8')).toBe(renderPythonSources());
  });

  it("ResidualUnit's Python defaults are the library's", () => {
    const python = runPythonJson([
      'import inspect, json, sys',
      'sys.path.insert(0, "src/lib/export/python")',
      'import blocks',
      'print(json.dumps({k: p.default for k, p in inspect.signature(blocks.ResidualUnit).parameters.items() if p.default is not inspect.Parameter.empty}))',
    ]);
    const snake = (v: unknown) => (typeof v === 'string' ? snakeCase(v) : v);
    const d = RESIDUAL_UNIT_DEFAULTS;
    expect(python).toEqual({
      activation: snake(d.activation),
      shortcut: snake(d.shortcut),
      downsample: snake(d.downsample),
      plain: d.plain,
      skip_preactivation: d.skipPreactivation,
      bias: d.useBias,
      projection_bn: null, // resolved from the activation, as the library's projectionBatchNorm
      shortcut_scale: d.shortcutScale,
      scale_residual: d.scaleResidual,
      gate_bias: d.gateBias,
      dropout_rate: d.dropoutRate,
      bn_eps: d.bnEpsilon,
      zero_init_residual: d.zeroInitResidual,
    });
  });
});

describe('model.py', () => {
  it('names modules after the TF.js layers and builds units from their recorded options', async () => {
    const model = buildModel('cifar-resnet20', { width: 0.25, variants: { shortcut: 'exclusiveGating' } });
    const source = text(await exportModel(model, { name: 'cifar-resnet20' }), 'model.py');
    model.dispose();
    expect(source).toContain('class CifarResnet20(nn.Module):');
    expect(source).toContain('("conv", conv2d(3, 4, 3)),');
    expect(source).toContain(
      '        self.conv3_1 = BasicBlock(4, 8, stride=2, shortcut="exclusive_gating", downsample="zero_pad")',
    );
    expect(source).toContain('        x = self.conv4_3(x)  # [batch, 16, 8, 8]');
    expect(source).toContain('return init_weights(VARIANTS[variant](), conv_mode="fan_out")');
  });

  it('an experiment exports one class per variant and its definition', async () => {
    const experiment = getExperiment('plain-vs-residual');
    const files = await exportExperiment(experiment);
    const source = text(files, 'model.py');
    for (const spec of experiment.variantSpecs('reference')) expect(source).toContain(`"${spec.name}": `);
    const json = JSON.parse(text(files, 'experiment.json'));
    expect(json.definition).toEqual(experiment.describe('reference'));
    expect(json.definitionHash).toBe(await experiment.definitionHash('reference'));
    expect(files.map((f) => f.path).sort()).toEqual(PACKAGE_FILES);
  });
});

describe('the deepest model', () => {
  it('pre-activation ResNet-1001 exports with the parameter and buffer counts of the TF.js model', async () => {
    const model = buildModel('preact-resnet1001', { width: 0.25 });
    const dir = join(root, 'resnet1001');
    writePackage(dir, await exportModel(model, { name: 'preact-resnet1001' }));
    const count = (weights: tf.LayerVariable[]) =>
      weights.reduce((n, v) => n + tf.util.sizeFromShape(v.shape as number[]), 0);
    const expected = [count(model.trainableWeights), count(model.nonTrainableWeights)];
    model.dispose();
    const counts = runPythonJson([
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'import model',
      'm = model.build()',
      'buffers = sum(b.numel() for n, b in m.named_buffers() if not n.endswith("num_batches_tracked"))',
      'print(json.dumps([sum(p.numel() for p in m.parameters()), buffers]))',
    ]);
    expect(counts).toEqual(expected);
  }, 120_000);
});

describe('bad input', () => {
  it('a layer the exporter has no module for is named', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv1d({ inputShape: [8, 2], filters: 2, kernelSize: 3, name: 'c1d' })],
    });
    expect(() => describeArchitecture(model)).toThrow(
      /cannot export layer "c1d" \(a Conv1D\): the exporter knows/,
    );
  });

  it('a merge outside the library blocks is named', () => {
    const input = tf.input({ shape: [4, 4, 2] });
    const a = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'a' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([a, input]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: sum });
    expect(() => describeArchitecture(model)).toThrow(/cannot export layer "sum" \(a Add with 2 inputs\)/);
  });

  it('weights of another architecture are refused by load_weights, naming the difference', async () => {
    const small = buildModel('cifar-resnet20', { width: 0.25 });
    const wider = buildModel('cifar-resnet20', { width: 0.5 });
    writePackage(join(root, 'small'), await exportModel(small, { name: 'small' }));
    const widerFiles = await exportModel(wider, { name: 'wider', weights: true });
    writePackage(join(root, 'wider'), widerFiles);
    small.dispose();
    wider.dispose();
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(join(root, 'small'))}); import model, weights; weights.load_weights(model.build(), ${JSON.stringify(join(root, 'wider', 'weights.safetensors'))})`;
    const result = runPython(['-c', script]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /invalid weights file .*weights\.safetensors \(made for wider\): not the weights of Small: conv1\.conv\.weight is \[8, 3, 3, 3\], the model's \[4, 3, 3, 3\]/,
    );
  });
});

describe('safetensors', () => {
  it('round-trips F32 and I64 tensors with their metadata, data 8-byte aligned', () => {
    const tensors = new Map([
      ['a.weight', { dtype: 'F32' as const, shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, -6.5) }],
      ['a.num_batches_tracked', { dtype: 'I64' as const, shape: [], data: BigInt64Array.of(7n) }],
    ]);
    const bytes = encodeSafetensors(tensors, { model: 'm' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ model: 'm' });
    expect(back.tensors).toEqual(tensors);
  });
});
