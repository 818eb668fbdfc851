import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { blockOf, toTorchOrder, traceModel } from '../../src/lib/trace.ts';

tf.env().set('IS_TEST', true);

/** A tiny model with every kind of layer the trace counts, named in the block/layer scheme. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [10, 10, 3], name: 'input' });
  let x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', name: 'stem/conv' })
    .apply(input);
  x = tf.layers.batchNormalization({ name: 'stem/bn' }).apply(x);
  const branch = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false, name: 'unit/conv' }).apply(x);
  x = tf.layers.add({ name: 'unit/add' }).apply([x, branch] as tf.SymbolicTensor[]);
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', name: 'dw' }).apply(x);
  x = tf.layers.flatten({ name: 'head/flatten' }).apply(x);
  const y = tf.layers.dense({ units: 4, name: 'head/fc' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y, name: 'tiny' });
}

describe('traceModel', () => {
  it('counts shapes, parameters and MACs layer by layer (checked by hand)', () => {
    const model = tinyModel();
    const trace = traceModel(model);
    const byName = Object.fromEntries(trace.layers.map((l) => [l.name, l]));
    // stem/conv: 10×10 → 5×5 (same, stride 2); params 3·3·3·8 + 8 = 224; MACs 5·5·3·3·3·8 = 5,400.
    expect(byName['stem/conv']).toMatchObject({
      outputShape: [1, 5, 5, 8],
      trainable: 224,
      nonTrainable: 0,
      macs: 5400,
    });
    expect(byName['stem/conv'].outputShapeTorch).toEqual([1, 8, 5, 5]);
    // BN: γ, β trainable (16); moving mean and variance non-trainable (16); no MACs.
    expect(byName['stem/bn']).toMatchObject({ trainable: 16, nonTrainable: 16, macs: 0 });
    // 1×1 conv without bias: 8·8 = 64 params; MACs 5·5·8·8 = 1,600.
    expect(byName['unit/conv']).toMatchObject({ trainable: 64, macs: 1600 });
    // depthwise 3×3 valid on 5×5×8, multiplier 2: 3·3·8·2 + 16 = 160 params, 3×3×16 output, MACs 3·3·3·3·8·2 = 1,296.
    expect(byName['dw']).toMatchObject({ outputShape: [1, 3, 3, 16], trainable: 160, macs: 1296 });
    // dense 144 → 4: 580 params, 576 MACs.
    expect(byName['head/fc']).toMatchObject({ outputShape: [1, 4], trainable: 580, macs: 576 });
    expect(trace.params).toEqual({ trainable: 1044, nonTrainable: 16, total: 1060 });
    expect(trace.params.total).toBe(model.countParams());
    expect(trace.macs).toBe(5400 + 1600 + 1296 + 576);
    expect(trace.blocks.map((b) => [b.name, b.layers.length, b.trainable, b.macs])).toEqual([
      ['input', 1, 0, 0],
      ['stem', 2, 240, 5400],
      ['unit', 2, 64, 1600],
      ['dw', 1, 160, 1296],
      ['head', 2, 580, 576],
    ]);
    model.dispose();
  });

  it('agrees with a real forward pass and takes a batch size', () => {
    const model = tinyModel();
    const trace = traceModel(model, [3, 10, 10, 3]);
    const y = model.predict(tf.zeros([3, 10, 10, 3])) as tf.Tensor;
    expect(trace.layers.at(-1)!.outputShape).toEqual(y.shape);
    expect(trace.input).toEqual([3, 10, 10, 3]);
    expect(trace.inputTorch).toEqual([3, 3, 10, 10]);
    model.dispose();
  });

  it('returns plain JSON', () => {
    const model = tinyModel();
    const trace = traceModel(model);
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
    model.dispose();
  });

  it('rejects a malformed input shape', () => {
    const model = tinyModel();
    expect(() => traceModel(model, [10, 10])).toThrow(/invalid inputShape: \[10,10\]/);
    model.dispose();
  });

  it('derives blocks from names and reorders shapes', () => {
    expect(blockOf('conv3_1/conv2')).toBe('conv3_1');
    expect(blockOf('fc')).toBe('fc');
    expect(toTorchOrder([1, 56, 56, 64])).toEqual([1, 64, 56, 56]);
    expect(toTorchOrder([1, 10])).toEqual([1, 10]);
  });
});
