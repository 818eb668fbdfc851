import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildD2lVgg11, buildVgg, buildBlockModel, vggBlock } from '../../../src/lib/index.ts';
import { traceModel } from '../../../src/lib/trace.ts';

tf.env().set('IS_TEST', true);

function trainableOf(build: () => tf.LayersModel) {
  const model = build();
  try {
    return traceModel(model);
  } finally {
    model.dispose();
  }
}

describe('VGG (Simonyan & Zisserman 2014)', () => {
  // torchvision vgg11/13/16/19 `num_params` on 3×224×224 with 1000 classes.
  const cases = [
    { depth: 11, params: 132_863_336 },
    { depth: 13, params: 133_047_848 },
    { depth: 16, params: 138_357_544 },
    { depth: 19, params: 143_667_240 },
  ] as const;
  for (const { depth, params } of cases) {
    it(`vgg${depth}: ${params} parameters`, () => {
      const trace = trainableOf(() => buildVgg({ depth }));
      expect(trace.params.trainable).toBe(params);
      expect(trace.params.nonTrainable).toBe(0);
      expect(trace.blocks.find((b) => b.name === 'block5')!.outputShape).toEqual([1, 7, 7, 512]);
    });
  }

  it('VGG-16 costs about 15.3e9 multiply-adds (paper text)', () => {
    const trace = trainableOf(() => buildVgg({ depth: 16 }));
    expect(Math.abs(trace.macs / 15.3e9 - 1)).toBeLessThan(0.03);
  });

  it('a VGG block halves height and width and sets the channels', () => {
    const model = buildBlockModel(vggBlock(2, 8), [12, 10, 3]);
    const out = model.predict(tf.ones([2, 12, 10, 3])) as tf.Tensor;
    expect(out.shape).toEqual([2, 6, 5, 8]);
    expect(model.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Conv2D',
      'ReLU',
      'Conv2D',
      'ReLU',
      'MaxPooling2D',
    ]);
    out.dispose();
    model.dispose();
  });
});

describe('d2l VGG-11 of the seed article', () => {
  it('has 128,806,154 parameters on 1×224×224 with 10 classes', () => {
    // Convs (3×3, with bias), conv_arch ((1,64),(1,128),(2,256),(2,512),(2,512)) on one input channel:
    //   1→64:    9·1·64 + 64     =       640
    //   64→128:  9·64·128 + 128  =    73,856
    //   128→256: 9·128·256 + 256 =   295,168
    //   256→256: 9·256·256 + 256 =   590,080
    //   256→512: 9·256·512 + 512 = 1,180,160
    //   512→512: 9·512·512 + 512 = 2,359,808, three times = 7,079,424
    //   convs total                = 9,219,328
    // FC: 512·7·7 = 25,088 → 4096: 25,088·4096 + 4096 = 102,764,544
    //     4096 → 4096: 16,777,216 + 4096 = 16,781,312;  4096 → 10: 40,960 + 10 = 40,970
    //   FC total = 119,586,826.  Model total = 9,219,328 + 119,586,826 = 128,806,154.
    const trace = trainableOf(() => buildD2lVgg11());
    expect(trace.params.trainable).toBe(128_806_154);
    // The seed's printed shapes: blocks end at 64×112², 128×56², 256×28², 512×14², 512×7².
    expect(trace.blocks.slice(1, 6).map((b) => b.outputShapeTorch)).toEqual([
      [1, 64, 112, 112],
      [1, 128, 56, 56],
      [1, 256, 28, 28],
      [1, 512, 14, 14],
      [1, 512, 7, 7],
    ]);
  });

  it('narrow version (small_conv_arch, channels ÷ 4, FC stays 4096) has 43,093,322 parameters', () => {
    // Convs: 1→16: 160; 16→32: 4,640; 32→64: 18,496; 64→64: 36,928; 64→128: 73,856;
    //        128→128: 147,584 ×3 = 442,752; total 576,832.
    // FC: 128·7·7 = 6,272 → 4096: 25,690,112 + 4096 = 25,694,208; 4096→4096: 16,781,312; 4096→10: 40,970.
    // Total: 576,832 + 42,516,490 = 43,093,322.
    const trace = trainableOf(() => buildD2lVgg11({ width: 0.25 }));
    expect(trace.params.trainable).toBe(43_093_322);
  });
});
