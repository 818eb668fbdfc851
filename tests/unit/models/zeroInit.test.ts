import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { probe } from './probe.ts';
import {
  buildBlockModel,
  buildCifarResNet,
  buildPreactCifarResNet,
  buildResNet,
  residualUnit,
  type ResidualUnitOptions,
} from '../../../src/lib/index.ts';

tf.env().set('IS_TEST', true);

// Goyal et al. 2017 ("zero γ"): the last BN of each residual branch starts with γ = 0, so F(x) = 0 and
// a unit starts as its shortcut; pre-activation branches end in a conv, whose kernel starts at zero instead.

const X = () => tf.randomNormal([2, 8, 8, 16], 0, 1, 'float32', 3); // [batch, h, w, c], signs mixed

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const gammaOf = (model: tf.LayersModel, layer: string) => values(model.getLayer(layer).getWeights()[0]);
const kernelOf = (model: tf.LayersModel, layer: string) => values(model.getLayer(layer).getWeights()[0]);

/** The unit's output on x, with BN in inference (moving statistics) or training (batch statistics) mode. */
function outputs(options: ResidualUnitOptions, x: tf.Tensor): { model: tf.LayersModel; y: tf.Tensor[] } {
  const model = buildBlockModel(residualUnit(options), [8, 8, 16]);
  const y = [false, true].map((training) => model.apply(x, { training }) as tf.Tensor);
  return { model, y };
}

describe('zeroInitResidual: every residual branch starts at zero', () => {
  it('original basic unit: γ of bn2 is 0, bn1 keeps γ = 1, and the unit is ReLU(x) exactly', () => {
    const x = X();
    const { model, y } = outputs({ filters: 16, name: 'u', zeroInitResidual: true }, x);
    expect(new Set(gammaOf(model, 'u/bn2'))).toEqual(new Set([0]));
    expect(new Set(gammaOf(model, 'u/bn1'))).toEqual(new Set([1]));
    for (const out of y) expect(values(out)).toEqual(values(tf.relu(x)));
    model.dispose();
  });

  it('without the option γ is 1 everywhere and the unit is not ReLU(x)', () => {
    const x = X();
    const { model, y } = outputs({ filters: 16, name: 'u' }, x);
    expect(new Set(gammaOf(model, 'u/bn2'))).toEqual(new Set([1]));
    expect(tf.max(tf.abs(tf.sub(y[0], tf.relu(x)))).dataSync()[0]).toBeGreaterThan(0.1);
    model.dispose();
  });

  it('original bottleneck unit: γ of bn3 is 0 and the unit is ReLU(x) exactly', () => {
    const x = X();
    const options = { filters: 4, name: 'u', branch: 'bottleneck', zeroInitResidual: true } as const;
    const { model, y } = outputs(options, x);
    expect(new Set(gammaOf(model, 'u/bn3'))).toEqual(new Set([0]));
    expect(new Set([...gammaOf(model, 'u/bn1'), ...gammaOf(model, 'u/bn2')])).toEqual(new Set([1]));
    for (const out of y) expect(values(out)).toEqual(values(tf.relu(x)));
    model.dispose();
  });

  it('full pre-activation units: the last conv starts at zero and the unit is exactly the identity', () => {
    const x = X();
    for (const [branch, filters, last] of [
      ['basic', 16, 'u/conv2'],
      ['bottleneck', 4, 'u/conv3'],
    ] as const) {
      const options = { filters, name: 'u', branch, activation: 'fullPreactivation' } as const;
      const { model, y } = outputs({ ...options, zeroInitResidual: true }, x);
      expect(new Set(kernelOf(model, last))).toEqual(new Set([0]));
      expect(new Set(gammaOf(model, 'u/bn2'))).toEqual(new Set([1]));
      for (const out of y) expect(values(out)).toEqual(values(x));
      const plain = buildBlockModel(residualUnit(options), [8, 8, 16]);
      expect(kernelOf(plain, last).some((w) => w !== 0)).toBe(true);
      [model, plain].forEach((m) => m.dispose());
    }
  });

  it('a shape-changing unit starts as its shortcut: ReLU of the zero-padded input', () => {
    const x = X();
    const options = { filters: 32, name: 'u', strides: 2, downsample: 'zeroPad' } as const;
    const { model, y } = outputs({ ...options, zeroInitResidual: true }, x);
    const [shortcut] = probe(model, ['u/shortcut'], x);
    for (const out of y) expect(values(out)).toEqual(values(tf.relu(shortcut)));
    model.dispose();
  });

  it('changes no parameter count and no other weight: the same seed gives the same draws', () => {
    const pairs = [
      (zeroInitResidual: boolean) => buildCifarResNet({ depth: 20, seed: 4, zeroInitResidual }),
      (zeroInitResidual: boolean) =>
        buildPreactCifarResNet({ depth: 20, branch: 'bottleneck', width: 0.5, zeroInitResidual }),
      (zeroInitResidual: boolean) =>
        buildResNet({ depth: 50, width: 0.25, inputShape: [32, 32, 3], zeroInitResidual }),
    ];
    for (const build of pairs) {
      const [on, off] = [build(true), build(false)];
      expect(on.countParams()).toBe(off.countParams());
      const zeroed = new Set<string>();
      on.weights.forEach((w, i) => {
        const a = values(w.read());
        const b = values(off.weights[i].read());
        if (a.every((v) => v === 0) && b.some((v) => v !== 0)) zeroed.add(w.name);
        else expect(a, w.name).toEqual(b);
      });
      expect(zeroed.size).toBeGreaterThan(0);
      [on, off].forEach((m) => m.dispose());
    }
  });

  it('CIFAR ResNet-20: every unit is zeroed, and the identity units of stage 1 pass conv1 through', () => {
    const model = buildCifarResNet({ depth: 20, zeroInitResidual: true });
    const zeroGammas = model.layers.filter(
      (l) => l.getClassName() === 'BatchNormalization' && values(l.getWeights()[0]).every((v) => v === 0),
    );
    expect(zeroGammas.map((l) => l.name)).toEqual(
      [2, 3, 4].flatMap((stage) => [1, 2, 3].map((unit) => `conv${stage}_${unit}/bn2`)),
    );
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 5);
    const [stem, stage1] = probe(model, ['conv1/relu', 'conv2_3/out_relu'], x);
    expect(values(stage1)).toEqual(values(stem));
    model.dispose();
    const preact = buildCifarResNet({ depth: 20, activation: 'fullPreactivation', zeroInitResidual: true });
    const [preStem, preStage1] = probe(preact, ['conv1/relu', 'conv2_3/add'], x);
    expect(values(preStage1)).toEqual(values(preStem));
    preact.dispose();
  });

  it('ImageNet ResNet-18: γ = 0 in each block’s bn2, the projection shortcuts keep their BN at γ = 1', () => {
    const model = buildResNet({ depth: 18, inputShape: [32, 32, 3], zeroInitResidual: true });
    for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const expected = /^conv\d_\d\/bn2$/.test(layer.name) ? 0 : 1;
      expect(new Set(gammaOf(model, layer.name)), layer.name).toEqual(new Set([expected]));
    }
    model.dispose();
  });

  it('refuses the units where a branch that starts at zero could not learn, saying why', () => {
    expect(() => residualUnit({ filters: 4, name: 'u', plain: true, zeroInitResidual: true })).toThrow(
      /^invalid zeroInitResidual: true \(expected false here: a plain unit has no shortcut/,
    );
    expect(() =>
      residualUnit({ filters: 4, name: 'u', activation: 'reluBeforeAddition', zeroInitResidual: true }),
    ).toThrow(/reluBeforeAddition ends its branch in a ReLU/);
    expect(() => buildCifarResNet({ zeroInitResidual: 'yes' as never })).toThrow(
      'invalid zeroInitResidual: "yes" (expected true or false)',
    );
  });
});
