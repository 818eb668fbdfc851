import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { basicBlock, buildBlockModel, buildD2lResNet18 } from '../../../src/lib/index.ts';
import { traceModel } from '../../../src/lib/trace.ts';

tf.env().set('IS_TEST', true);

describe('d2l ResNet-18 of the residual-block seed article', () => {
  it('has 11,178,378 trainable and 7,808 non-trainable parameters', () => {
    // Every conv has a bias (nn.Conv2d default); BN γ, β trainable; running mean/var are buffers.
    // b1: conv 7×7 1→64: 49·64 + 64 = 3,200; BN 128                              →     3,328
    // b2: 2 blocks × (2 × (9·64·64 + 64 = 36,928) + 2 BN × 128)                     →   148,224
    // b3: first: 9·64·128+128 = 73,856; 9·128·128+128 = 147,584; 1×1 64·128+128 = 8,320;
    //     BN 2×256 → 230,272. second: 2×147,584 + 512 = 295,680                      →   525,952
    // b4: first: 295,168 + 590,080 + 1×1 33,024 + 1,024 = 919,296;
    //     second: 2×590,080 + 1,024 = 1,181,184                                       → 2,100,480
    // b5: first: 1,180,160 + 2,359,808 + 1×1 131,584 + 2,048 = 3,673,600;
    //     second: 2×2,359,808 + 2,048 = 4,721,664                                     → 8,395,264
    // fc: 512·10 + 10                                                                 →     5,130
    // Total 11,178,378. Non-trainable: BN channels ×2: 2·(64 + 4·64 + 4·128 + 4·256 + 4·512) = 7,808.
    const model = buildD2lResNet18();
    const trace = traceModel(model);
    model.dispose();
    expect(trace.params.trainable).toBe(11_178_378);
    expect(trace.params.nonTrainable).toBe(7_808);
    // Printed by the seed for X = torch.rand(1, 1, 224, 224): b1 … b5 outputs.
    const stageShapes = ['conv1', 'conv2_2', 'conv3_2', 'conv4_2', 'conv5_2'].map(
      (name) => trace.blocks.find((b) => b.name === name)!.outputShapeTorch,
    );
    expect(stageShapes).toEqual([
      [1, 64, 56, 56],
      [1, 64, 56, 56],
      [1, 128, 28, 28],
      [1, 256, 14, 14],
      [1, 512, 7, 7],
    ]);
    expect(trace.layers.at(-1)!.outputShapeTorch).toEqual([1, 10]);
  });

  it('residual block keeps 4×3×6×6; with a 1×1 conv and stride 2 it gives 4×6×3×3', () => {
    const same = buildBlockModel(basicBlock({ filters: 3, name: 'blk', useBias: true }), [6, 6, 3]);
    const down = buildBlockModel(
      basicBlock({
        filters: 6,
        name: 'blk',
        strides: 2,
        projectAlways: true,
        useBias: true,
        projectionBatchNorm: false,
      }),
      [6, 6, 3],
    );
    expect(traceModel(same, [4, 6, 6, 3]).layers.at(-1)!.outputShapeTorch).toEqual([4, 3, 6, 6]);
    expect(traceModel(down, [4, 6, 6, 3]).layers.at(-1)!.outputShapeTorch).toEqual([4, 6, 3, 3]);
    // And a real forward pass agrees with the traced shape.
    const y = down.predict(tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', 1)) as tf.Tensor;
    expect(y.shape).toEqual([4, 3, 3, 6]);
    y.dispose();
    same.dispose();
    down.dispose();
  });
});
