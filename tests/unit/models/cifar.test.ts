import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildCifarResNet, buildPreactCifarResNet } from '../../../src/lib/index.ts';
import { traceModel } from '../../../src/lib/trace.ts';

tf.env().set('IS_TEST', true);

function traced(build: () => tf.LayersModel) {
  const model = build();
  try {
    return traceModel(model);
  } finally {
    model.dispose();
  }
}

/** Rounds as the papers' tables do: two decimals of millions below 1M, one above. */
function millions(n: number): number {
  const m = n / 1e6;
  return m < 1 ? Math.round(m * 100) / 100 : Math.round(m * 10) / 10;
}

describe('CIFAR ResNets (He et al. 2015, Table 6; option A)', () => {
  const table6 = [
    { depth: 20, millions: 0.27 },
    { depth: 32, millions: 0.46 },
    { depth: 44, millions: 0.66 },
    { depth: 56, millions: 0.85 },
    { depth: 110, millions: 1.7 },
  ];
  for (const row of table6) {
    it(`ResNet-${row.depth} has ${row.millions}M parameters`, () => {
      const trace = traced(() => buildCifarResNet({ depth: row.depth }));
      expect(millions(trace.params.trainable)).toBe(row.millions);
      // 3 stages on 32², 16², 8² maps with 16, 32, 64 channels.
      const n = (row.depth - 2) / 6;
      expect(trace.blocks.find((b) => b.name === `conv2_${n}`)!.outputShape).toEqual([1, 32, 32, 16]);
      expect(trace.blocks.find((b) => b.name === `conv3_${n}`)!.outputShape).toEqual([1, 16, 16, 32]);
      expect(trace.blocks.find((b) => b.name === `conv4_${n}`)!.outputShape).toEqual([1, 8, 8, 64]);
    });
  }

  it('ResNet-20 exact count: 269,722 (option A shortcuts are parameter-free)', () => {
    // conv1 3·9·16 = 432, BN 32; stage 1: 6 convs 9·16·16 = 2,304 + 6 BN 32 → 14,016;
    // stage 2: 9·16·32 = 4,608 + 5 × 9,216 + 6 BN 64 → 51,072; stage 3: 18,432 + 5 × 36,864 + 6 BN 128
    // → 203,520; fc 64·10 + 10 = 650. Total 432 + 32 + 14,016 + 51,072 + 203,520 + 650 = 269,722.
    expect(traced(() => buildCifarResNet({ depth: 20 })).params.trainable).toBe(269_722);
  });

  it('option B adds the projection parameters', () => {
    const a = traced(() => buildCifarResNet({ depth: 20, downsample: 'zeroPad' })).params.trainable;
    const b = traced(() => buildCifarResNet({ depth: 20, downsample: 'projection' })).params.trainable;
    // Two 1×1 projections with BN: 16·32 + 64 + 32·64 + 128 = 2,752.
    expect(b - a).toBe(2_752);
  });

  it('plain counterparts have the same weighted layers and no shortcut layers', () => {
    const model = buildCifarResNet({ depth: 20, plain: true });
    const trace = traceModel(model);
    model.dispose();
    expect(trace.params.trainable).toBe(269_722);
    expect(trace.layers.some((l) => l.type === 'Add' || l.type === 'ZeroPadShortcut')).toBe(false);
    expect(trace.layers.filter((l) => l.type === 'Conv2D' || l.type === 'Dense')).toHaveLength(20);
  });

  it('rejects a depth that is not 6n+2', () => {
    expect(() => buildCifarResNet({ depth: 21 })).toThrow(/invalid depth: 21 \(expected 6n\+2/);
  });
});

describe('pre-activation CIFAR ResNets (He et al. 2016)', () => {
  it('ResNet-164 (bottleneck, 9n+2) has 1.7M parameters: 1,703,258', () => {
    const trace = traced(() => buildPreactCifarResNet({ depth: 164 }));
    expect(millions(trace.params.trainable)).toBe(1.7);
    expect(trace.params.trainable).toBe(1_703_258);
    expect(trace.blocks.find((b) => b.name === 'conv4_18')!.outputShape).toEqual([1, 8, 8, 256]);
    // The final BN-ReLU after the last addition.
    expect(trace.layers.slice(-4).map((l) => l.name)).toEqual(['post/bn', 'post/relu', 'avgpool', 'fc']);
  });

  it('ResNet-110 (basic units) has 1.7M parameters', () => {
    expect(millions(traced(() => buildPreactCifarResNet({ depth: 110 })).params.trainable)).toBe(1.7);
  });

  it('ResNet-1001 has 10.3M parameters by PyTorch counting (the paper quotes 10.2M)', () => {
    expect(traced(() => buildPreactCifarResNet({ depth: 1001 })).params.trainable).toBe(10_327_706);
  });

  it('shares one BN-ReLU between the branch and the projection of a shape-changing unit', () => {
    const model = buildPreactCifarResNet({ depth: 164 });
    const shortcut = model.getLayer('conv3_1/shortcut');
    const conv1 = model.getLayer('conv3_1/conv1');
    const sourceOf = (l: tf.layers.Layer) => l.inboundNodes[0].inboundLayers[0].name;
    expect(sourceOf(shortcut)).toBe('conv3_1/relu1');
    expect(sourceOf(conv1)).toBe('conv3_1/relu1');
    // First unit: the activation right after conv1 is its pre-activation.
    expect(sourceOf(model.getLayer('conv2_1/conv1'))).toBe('conv1/relu');
    model.dispose();
  });
});
