import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { probe } from './probe.ts';
import {
  ACTIVATION_VARIANTS,
  buildBlockModel,
  buildCifarResNet,
  residualUnit,
  SHORTCUT_VARIANTS,
  ShortcutDropout,
  ZeroPadShortcut,
} from '../../../src/lib/index.ts';

tf.env().set('IS_TEST', true);

const X = () => tf.randomUniform([2, 8, 8, 4], 0, 1, 'float32', 7); // [batch, h, w, c], positive

/** Saves to memory and loads back (custom layers must be registered for this to work). */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

describe('shortcut variants (He et al. 2016, Fig. 2)', () => {
  for (const shortcut of SHORTCUT_VARIANTS) {
    it(`${shortcut}: forward shape, strided shape, and save → load gives identical outputs`, async () => {
      const model = buildBlockModel(residualUnit({ filters: 4, name: 'u', shortcut }), [8, 8, 4]);
      const x = X();
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 8, 8, 4]);
      const loaded = await roundTrip(model);
      const y2 = loaded.predict(x) as tf.Tensor;
      expect(Array.from(await y2.data())).toEqual(Array.from(await y.data()));
      const strided = buildBlockModel(
        residualUnit({ filters: 8, name: 'u', shortcut, strides: 2 }),
        [8, 8, 4],
      );
      expect((strided.predict(x) as tf.Tensor).shape).toEqual([2, 4, 4, 8]);
      tf.dispose([x, y, y2]);
      [model, loaded, strided].forEach((m) => m.dispose());
    });
  }

  it('constant scaling multiplies the shortcut by exactly 0.5 and F by 1 − 0.5', () => {
    const model = buildBlockModel(
      residualUnit({ filters: 4, name: 'u', shortcut: 'constantScaling' }),
      [8, 8, 4],
    );
    const x = X();
    const [s, bn2, f, sum] = probe(model, ['u/shortcut_scale', 'u/bn2', 'u/residual_scale', 'u/add'], x);
    expect(Array.from(s.dataSync())).toEqual(Array.from(tf.mul(x, 0.5).dataSync()));
    expect(Array.from(f.dataSync())).toEqual(Array.from(tf.mul(bn2, 0.5).dataSync()));
    expect(Array.from(sum.dataSync())).toEqual(Array.from(tf.add(s, f).dataSync()));
    model.dispose();
  });

  it('constant scaling with scaleResidual false leaves F unscaled', () => {
    const model = buildBlockModel(
      residualUnit({ filters: 4, name: 'u', shortcut: 'constantScaling', scaleResidual: false }),
      [8, 8, 4],
    );
    expect(model.layers.some((l) => l.name === 'u/residual_scale')).toBe(false);
    model.dispose();
  });

  const gated = (shortcut: 'exclusiveGating' | 'shortcutOnlyGating', gateBias: number) =>
    // Full pre-activation: nothing after the addition, so the unit's output is the gate's combination.
    buildBlockModel(
      residualUnit({ filters: 4, name: 'u', shortcut, gateBias, activation: 'fullPreactivation' }),
      [8, 8, 4],
    );

  it('exclusive gating with b_g → −∞ passes the shortcut only; with b_g → +∞ the residual only', () => {
    const x = X();
    const closed = gated('exclusiveGating', -1e9);
    const [gate, out] = probe(closed, ['u/gate', 'u/gate_combine'], x);
    expect(gate.max().dataSync()[0]).toBe(0);
    expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
    const open = gated('exclusiveGating', 1e9);
    const [f, out2] = probe(open, ['u/conv2', 'u/gate_combine'], x);
    expect(Array.from(out2.dataSync())).toEqual(Array.from(f.dataSync()));
    closed.dispose();
    open.dispose();
  });

  it('shortcut-only gating: b_g → −∞ gives x + F, b_g → +∞ gives F', () => {
    const x = X();
    const closed = gated('shortcutOnlyGating', -1e9);
    const [f, out] = probe(closed, ['u/conv2', 'u/gate_combine'], x);
    expect(Array.from(out.dataSync())).toEqual(Array.from(tf.add(x, f).dataSync()));
    const open = gated('shortcutOnlyGating', 1e9);
    const [f2, out2] = probe(open, ['u/conv2', 'u/gate_combine'], x);
    expect(Array.from(out2.dataSync())).toEqual(Array.from(f2.dataSync()));
    closed.dispose();
    open.dispose();
  });

  it('gate bias is initialised to the option (default −6, the paper best)', () => {
    const model = buildBlockModel(
      residualUnit({ filters: 4, name: 'u', shortcut: 'exclusiveGating' }),
      [8, 8, 4],
    );
    const bias = model.getLayer('u/gate').getWeights()[1];
    expect(new Set(bias.dataSync())).toEqual(new Set([-6]));
    model.dispose();
  });

  it('dropout shortcut keeps or zeroes elements without 1/keep rescaling at training, scales by 0.5 at inference', () => {
    const layer = new ShortcutDropout({ rate: 0.5 });
    const x = tf.randomUniform([1, 64, 64, 8], 1, 2, 'float32', 3);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const xs = x.dataSync();
    const ys = y.dataSync();
    let kept = 0;
    for (let i = 0; i < xs.length; i++) {
      expect(ys[i] === 0 || ys[i] === xs[i]).toBe(true);
      if (ys[i] !== 0) kept++;
    }
    expect(Math.abs(kept / xs.length - 0.5)).toBeLessThan(0.02);
    const ratio = y.mean().dataSync()[0] / x.mean().dataSync()[0];
    expect(Math.abs(ratio - 0.5)).toBeLessThan(0.02);
    const inference = layer.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(tf.mul(x, 0.5).dataSync()));
  });

  it('the dropout shortcut is active inside a model under training: true only', () => {
    const model = buildBlockModel(residualUnit({ filters: 4, name: 'u', shortcut: 'dropout' }), [8, 8, 4]);
    const x = X();
    const sub = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('u/shortcut_dropout').output as tf.SymbolicTensor,
    });
    const train = (sub.apply(x, { training: true }) as tf.Tensor).dataSync();
    const zeros = train.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(train.length * 0.3);
    const infer = (sub.predict(x) as tf.Tensor).dataSync();
    expect(infer.filter((v) => v === 0).length).toBe(0);
    model.dispose();
  });

  it('option A shortcut subsamples x[:, ::2, ::2, :] and pads the new channels with zeros', () => {
    const x = tf.range(0, 2 * 5 * 5 * 2).reshape([2, 5, 5, 2]);
    const y = new ZeroPadShortcut({ strides: 2, channels: 6 }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 3, 6]);
    const xa = x.arraySync() as number[][][][];
    const ya = y.arraySync() as number[][][][];
    expect(ya[1][2][1]).toEqual([0, 0, ...xa[1][4][2], 0, 0]);
    expect(ya[0][0][0]).toEqual([0, 0, ...xa[0][0][0], 0, 0]);
  });

  it('rejects an unknown shortcut with the list of allowed ones', () => {
    expect(() => residualUnit({ filters: 4, name: 'u', shortcut: 'gate' as never })).toThrow(
      'invalid shortcut: "gate" (expected one of identity, constantScaling, exclusiveGating, shortcutOnlyGating, conv1x1, dropout)',
    );
  });
});

describe('activation placements (He et al. 2016, Fig. 4)', () => {
  const expected: Record<(typeof ACTIVATION_VARIANTS)[number], string[]> = {
    original: ['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'add', 'out_relu'],
    bnAfterAddition: ['conv1', 'bn1', 'relu1', 'conv2', 'add', 'out_bn', 'out_relu'],
    reluBeforeAddition: ['conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'relu2', 'add'],
    reluOnlyPreactivation: ['relu1', 'conv1', 'bn1', 'relu2', 'conv2', 'bn2', 'add'],
    fullPreactivation: ['bn1', 'relu1', 'conv1', 'bn2', 'relu2', 'conv2', 'add'],
  };
  for (const activation of ACTIVATION_VARIANTS) {
    it(`${activation}: layer order, forward shape, save → load`, async () => {
      const model = buildBlockModel(residualUnit({ filters: 4, name: 'u', activation }), [8, 8, 4]);
      expect(model.layers.slice(1).map((l) => l.name.replace('u/', ''))).toEqual(expected[activation]);
      const x = X();
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 8, 8, 4]);
      const loaded = await roundTrip(model);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(y.dataSync()));
      model.dispose();
      loaded.dispose();
    });
  }

  it('every shortcut × activation combination runs, and each differs where it should', () => {
    const built = new Map<string, { params: number; layers: string }>();
    for (const shortcut of SHORTCUT_VARIANTS) {
      for (const activation of ACTIVATION_VARIANTS) {
        const model = buildCifarResNet({
          depth: 8,
          shortcut,
          activation,
          width: 0.25,
          inputShape: [8, 8, 3],
        });
        const y = tf.tidy(() => model.predict(tf.ones([1, 8, 8, 3])) as tf.Tensor);
        expect(y.shape).toEqual([1, 10]);
        expect(Number.isFinite(y.sum().dataSync()[0])).toBe(true);
        y.dispose();
        built.set(`${shortcut}/${activation}`, {
          params: model.countParams(),
          layers: model.layers.map((layer) => layer.getClassName()).join(' '),
        });
        model.dispose();
      }
    }
    const at = (shortcut: string, activation: string) => built.get(`${shortcut}/${activation}`)!;
    for (const shortcut of SHORTCUT_VARIANTS) {
      // What a shortcut adds depends only on whether the unit is pre-activated (a post-activation unit's 1×1
      // shortcut has a BN of its own); only gates and 1×1 convolutions add weights.
      const extra = (activations: readonly string[]) =>
        new Set(activations.map((a) => at(shortcut, a).params - at('identity', a).params));
      const pre = ['reluOnlyPreactivation', 'fullPreactivation'];
      const post = ACTIVATION_VARIANTS.filter((a) => !pre.includes(a));
      const [postExtra, preExtra] = [extra(post), extra(pre)];
      expect([postExtra.size, preExtra.size], shortcut).toEqual([1, 1]);
      const adds = ['exclusiveGating', 'shortcutOnlyGating', 'conv1x1'].includes(shortcut);
      expect([...postExtra][0] > 0 && [...preExtra][0] > 0, shortcut).toBe(adds);
      if (shortcut !== 'conv1x1') expect(postExtra, shortcut).toEqual(preExtra);
      else expect([...postExtra][0], shortcut).toBeGreaterThan([...preExtra][0]);
      // The five placements are five different layer orders for every shortcut.
      expect(new Set(ACTIVATION_VARIANTS.map((a) => at(shortcut, a).layers)).size, shortcut).toBe(
        ACTIVATION_VARIANTS.length,
      );
    }
  });

  it('a CIFAR net with gated shortcuts and option A saves and loads with identical outputs', async () => {
    const model = buildCifarResNet({
      depth: 8,
      shortcut: 'exclusiveGating',
      width: 0.5,
      inputShape: [16, 16, 3],
    });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5);
    const loaded = await roundTrip(model);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
    model.dispose();
    loaded.dispose();
  });
});
