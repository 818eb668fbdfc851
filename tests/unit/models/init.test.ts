import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildCifarResNet, buildResNet, KaimingNormal } from '../../../src/lib/index.ts';

tf.env().set('IS_TEST', true);

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('seeded initialisation', () => {
  it('same seed gives identical weights; a different seed gives different ones', () => {
    const a = buildCifarResNet({ depth: 20, seed: 1 });
    const b = buildCifarResNet({ depth: 20, seed: 1 });
    const c = buildCifarResNet({ depth: 20, seed: 2 });
    const [wa, wb, wc] = [a, b, c].map(weightsOf);
    expect(wa.length).toBe(wb.length);
    wa.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(wb[i])));
    const conv1 = a.weights.findIndex((w) => w.name.startsWith('conv1/conv'));
    expect(Array.from(wa[conv1])).not.toEqual(Array.from(wc[conv1]));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('layers of one model get different draws', () => {
    const model = buildCifarResNet({ depth: 20 });
    const k1 = model.getLayer('conv2_1/conv1').getWeights()[0].dataSync();
    const k2 = model.getLayer('conv2_1/conv2').getWeights()[0].dataSync();
    expect(Array.from(k1)).not.toEqual(Array.from(k2));
    model.dispose();
  });

  it('conv kernels follow Kaiming normal with fan_out (torchvision): std √(2 / (k²·C_out))', () => {
    const model = buildResNet({ depth: 18, inputShape: [32, 32, 3] });
    const kernel = model.getLayer('conv4_1/conv2').getWeights()[0]; // [3, 3, 256, 256]
    const { mean, variance } = tf.moments(kernel);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(1e-3);
    const expected = Math.sqrt(2 / (9 * 256));
    expect(Math.abs(Math.sqrt(variance.dataSync()[0]) / expected - 1)).toBeLessThan(0.01);
    // BN starts as the identity map: γ = 1, β = 0.
    const [gamma, beta] = model.getLayer('conv4_1/bn2').getWeights();
    expect(new Set(gamma.dataSync())).toEqual(new Set([1]));
    expect(new Set(beta.dataSync())).toEqual(new Set([0]));
    model.dispose();
  });

  it('KaimingNormal supports fan_in and serialises its config', () => {
    const init = new KaimingNormal({ mode: 'fanIn', seed: 3 });
    const w = init.apply([3, 3, 64, 8]);
    const std = Math.sqrt(tf.moments(w).variance.dataSync()[0]);
    expect(Math.abs(std / Math.sqrt(2 / (9 * 64)) - 1)).toBeLessThan(0.05);
    expect(init.getConfig()).toEqual({ mode: 'fanIn', seed: 3 });
  });
});

describe('option validation', () => {
  it('says what was received and what is allowed', () => {
    expect(() => buildResNet({ depth: 42 as never })).toThrow(
      'invalid depth: 42 (expected one of 18, 34, 50, 101, 152)',
    );
    expect(() => buildResNet({ classes: 0 })).toThrow('invalid classes: 0 (expected a positive integer)');
    expect(() => buildResNet({ inputShape: [224, 224] as never })).toThrow(/invalid inputShape: \[224,224\]/);
    expect(() => buildResNet({ stridePlacement: 'v1' as never })).toThrow(
      'invalid stridePlacement: "v1" (expected one of paper, torchvision)',
    );
    expect(() => buildCifarResNet({ activation: 'preact' as never })).toThrow(
      /expected one of original, bnAfterAddition/,
    );
    expect(() => buildResNet({ depht: 50 } as never)).toThrow(
      /invalid ResNet option: "depht" \(expected one of depth/,
    );
  });
});
