import { describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  describeLayer,
  drawBlockDiagram,
  layoutGraph,
  readModelGraph,
} from '../../../src/components/blockDiagram.ts';
import {
  buildBlockModel,
  residualUnit,
  SHORTCUT_VARIANTS,
  type ActivationVariant,
} from '../../../src/lib/index.ts';

/** A post-activation basic block written out by hand with tf.layers, optionally with a 1×1 projection. */
function handBuiltBlock(projection: boolean): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 4], name: 'x' });
  const strides = projection ? 2 : 1;
  const filters = projection ? 8 : 4;
  let f = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', name: 'conv1' }).apply(x);
  f = tf.layers.batchNormalization({ name: 'bn1' }).apply(f);
  f = tf.layers.reLU({ name: 'relu1' }).apply(f);
  f = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: 'conv2' }).apply(f);
  f = tf.layers.batchNormalization({ name: 'bn2' }).apply(f);
  let shortcut: tf.SymbolicTensor = x;
  if (projection) {
    const projected = tf.layers.conv2d({ filters, kernelSize: 1, strides, name: 'shortcut' }).apply(x);
    shortcut = tf.layers.batchNormalization({ name: 'shortcut_bn' }).apply(projected) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: 'add' }).apply([f, shortcut] as tf.SymbolicTensor[]);
  const y = tf.layers.reLU({ name: 'out' }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: projection ? 'projection' : 'identity' });
}

describe('block diagrams from the model graph', () => {
  test('labels layers in paper vocabulary', () => {
    expect(describeLayer('Conv2D', { kernelSize: [3, 3], strides: [2, 2], filters: 64 }).label).toBe(
      '3×3 conv, 64, /2',
    );
    expect(
      describeLayer('Conv2D', { kernelSize: [1, 1], strides: [1, 1], filters: 8, activation: 'sigmoid' })
        .label,
    ).toBe('1×1 conv, 8, σ');
    expect(describeLayer('Add', {})).toEqual({ label: '+', kind: 'merge' });
    expect(describeLayer('MaxPooling2D', { poolSize: [2, 2], strides: [2, 2] }).label).toBe(
      '2×2 max-pool, /2',
    );
  });

  test('an identity block keeps every layer on the main path and feeds x into the addition', () => {
    const model = handBuiltBlock(false);
    const placed = layoutGraph(readModelGraph(model));
    expect(placed.map((node) => [node.name, node.column])).toEqual(
      ['x', 'conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'add', 'out'].map((name) => [name, 0]),
    );
    expect(placed.find((node) => node.name === 'add')!.inputs.sort()).toEqual(['bn2', 'x']);
    model.dispose();
  });

  test('a projection shortcut is drawn beside the main path', () => {
    const model = handBuiltBlock(true);
    const placed = layoutGraph(readModelGraph(model));
    const beside = placed.filter((node) => node.column > 0).map((node) => node.name);
    expect(beside).toEqual(['shortcut', 'shortcut_bn']);
    const svg = drawBlockDiagram(model, { title: 'Basic block <projection>' });
    expect(svg).toContain('<title id="diagram-projection-title">Basic block &lt;projection&gt;</title>');
    expect(svg).toContain('3×3 conv, 8, /2');
    expect(svg).toContain('1×1 conv, 8, /2');
    expect(svg.match(/marker-end=/g)).toHaveLength(10); // one arrow per graph edge
    model.dispose();
  });
});

test('custom shortcut layers get their formula as a label', () => {
  expect(describeLayer('GateCombine', { mode: 'exclusive' }).label).toBe('(1−g)·x + g·F');
  expect(describeLayer('GateCombine', { mode: 'shortcutOnly' }).label).toBe('(1−g)·x + F');
  expect(describeLayer('Scale', { scale: 0.5 }).label).toBe('× 0.5');
  expect(describeLayer('ShortcutDropout', { rate: 0.5 }).label).toBe('dropout 0.5, no rescaling');
});

describe('diagrams of the library blocks follow Fig. 4 of He et al. 2016', () => {
  const mainPath = (activation: ActivationVariant) => {
    const model = buildBlockModel(residualUnit({ name: 'unit', filters: 4, activation }), [6, 6, 4]);
    const labels = layoutGraph(readModelGraph(model))
      .filter((node) => node.column === 0)
      .map((node) => node.label);
    model.dispose();
    return labels.join(' → ');
  };
  test.each([
    ['original', 'x → 3×3 conv, 4 → BN → ReLU → 3×3 conv, 4 → BN → + → ReLU'],
    ['bnAfterAddition', 'x → 3×3 conv, 4 → BN → ReLU → 3×3 conv, 4 → + → BN → ReLU'],
    ['reluBeforeAddition', 'x → 3×3 conv, 4 → BN → ReLU → 3×3 conv, 4 → BN → ReLU → +'],
    ['reluOnlyPreactivation', 'x → ReLU → 3×3 conv, 4 → BN → ReLU → 3×3 conv, 4 → BN → +'],
    ['fullPreactivation', 'x → BN → ReLU → 3×3 conv, 4 → BN → ReLU → 3×3 conv, 4 → +'],
  ] as const)('%s: %s', (activation, expected) => {
    expect(mainPath(activation)).toBe(expected);
  });

  test.each(SHORTCUT_VARIANTS)('the %s shortcut draws with every layer placed', (shortcut) => {
    const model = buildBlockModel(residualUnit({ name: 'unit', filters: 4, shortcut }), [6, 6, 4]);
    const svg = drawBlockDiagram(model);
    expect(svg.match(/<g>/g)).toHaveLength(model.layers.length);
    model.dispose();
  });
});
