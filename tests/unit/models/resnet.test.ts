import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildResNet, buildResNetV2 } from '../../../src/lib/index.ts';
import { traceModel } from '../../../src/lib/trace.ts';

tf.env().set('IS_TEST', true);

/** Builds, traces and disposes, so big models never outlive one assertion. */
function traced(build: () => tf.LayersModel) {
  const model = build();
  try {
    return { trace: traceModel(model), countParams: model.countParams() };
  } finally {
    model.dispose();
  }
}

describe('ImageNet ResNets (He et al. 2015, torchvision layout)', () => {
  // torchvision `num_params` (trainable parameters(); BN running stats are buffers, not counted).
  // FLOPs (multiply-adds) of Table 1, He et al. 2015, for the paper's layout (stride on the first 1×1).
  const cases = [
    { depth: 18, params: 11_689_512, paperMacs: 1.8e9 },
    { depth: 34, params: 21_797_672, paperMacs: 3.6e9 },
    { depth: 50, params: 25_557_032, paperMacs: 3.8e9 },
    { depth: 101, params: 44_549_160, paperMacs: 7.6e9 },
    { depth: 152, params: 60_192_808, paperMacs: 11.3e9 },
  ] as const;

  for (const { depth, params, paperMacs } of cases) {
    it(`resnet${depth}: ${params} trainable parameters, MACs within 3% of ${paperMacs / 1e9}e9 (paper layout)`, () => {
      const { trace, countParams } = traced(() => buildResNet({ depth, stridePlacement: 'paper' }));
      expect(trace.params.trainable).toBe(params);
      expect(trace.params.total).toBe(countParams);
      expect(Math.abs(trace.macs / paperMacs - 1)).toBeLessThan(0.03);
      // Stage outputs of Table 1: 56², 28², 14², 7².
      const expansion = depth >= 50 ? 4 : 1;
      const lastOfStage = (stage: number) =>
        trace.blocks.filter((b) => b.name.startsWith(`conv${stage}_`)).at(-1)!;
      expect(lastOfStage(2).outputShape).toEqual([1, 56, 56, 64 * expansion]);
      expect(lastOfStage(5).outputShape).toEqual([1, 7, 7, 512 * expansion]);
      expect(trace.layers.at(-1)!.outputShape).toEqual([1, 1000]);
    });
  }

  it('resnet50 torchvision layout (stride on the 3×3, v1.5): same parameters, ≈ 4.1e9 MACs', () => {
    const { trace } = traced(() => buildResNet({ depth: 50, stridePlacement: 'torchvision' }));
    expect(trace.params.trainable).toBe(25_557_032);
    // torchvision documents 4.09 GFLOPS for resnet50.
    expect(Math.abs(trace.macs / 4.09e9 - 1)).toBeLessThan(0.01);
    const paper = traced(() => buildResNet({ depth: 50, stridePlacement: 'paper' })).trace;
    expect(trace.macs).toBeGreaterThan(paper.macs);
  });

  it('puts the bottleneck stride where the option says', () => {
    const strides = (placement: 'paper' | 'torchvision') => {
      const model = buildResNet({
        depth: 50,
        stridePlacement: placement,
        inputShape: [64, 64, 3],
        width: 0.25,
      });
      const s = ['conv3_1/conv1', 'conv3_1/conv2'].map((n) => model.getLayer(n).getConfig().strides);
      model.dispose();
      return s;
    };
    expect(strides('paper')).toEqual([
      [2, 2],
      [1, 1],
    ]);
    expect(strides('torchvision')).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});

describe('Keras ResNet V2', () => {
  it('ResNet50V2: 25,613,800 parameters, 45,440 non-trainable (keras.io applications table)', () => {
    const { trace, countParams } = traced(() => buildResNetV2({ depth: 50 }));
    expect(trace.params.total).toBe(25_613_800);
    expect(trace.params.nonTrainable).toBe(45_440);
    expect(countParams).toBe(25_613_800);
    // Stride in the last block of each stack: conv2 ends at 28², conv5 keeps 7².
    expect(trace.blocks.find((b) => b.name === 'conv2_block3')!.outputShape).toEqual([1, 28, 28, 256]);
    expect(trace.blocks.find((b) => b.name === 'conv2_block2')!.outputShape).toEqual([1, 56, 56, 256]);
    expect(trace.blocks.find((b) => b.name === 'conv5_block3')!.outputShape).toEqual([1, 7, 7, 2048]);
  });

  it('uses a 1×1 max-pool shortcut in strided blocks and a conv shortcut in first blocks', () => {
    const model = buildResNetV2({ depth: 50, inputShape: [64, 64, 3], width: 0.25 });
    expect(model.getLayer('conv3_block4/shortcut_pool').getClassName()).toBe('MaxPooling2D');
    expect(model.getLayer('conv3_block1/shortcut').getClassName()).toBe('Conv2D');
    expect(model.layers.some((l) => l.name === 'conv5_block3/shortcut_pool')).toBe(false);
    model.dispose();
  });
});

it('units and branch override the layout: [3, 4, 23, 3] bottlenecks are ResNet-101', () => {
  const custom = buildResNet({ units: [3, 4, 23, 3], branch: 'bottleneck' });
  expect(custom.name).toBe('resnet101');
  expect(traceModel(custom).params.trainable).toBe(44_549_160);
  custom.dispose();
  expect(() => buildResNet({ units: [3, 4, 0, 3] as [number, number, number, number] })).toThrow(
    /invalid units.2: 0 \(expected a positive integer\)/,
  );
});
