import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { recordBlock } from './blockRecords.ts';
import { createWeightInit, type WeightInit } from './init.ts';
import {
  inputShapeSchema,
  parseOptions,
  positiveInt,
  scaleChannels,
  seedSchema,
  widthSchema,
} from './options.ts';
import {
  add,
  batchNorm,
  conv,
  dense,
  globalAvgPool,
  maxPool,
  relu,
  type Block,
  type Tensor,
} from './primitives.ts';

/** Keras' BN settings for ResNet V2 (ε = 1.001e-5, momentum 0.99). */
const KERAS_BN = { epsilon: 1.001e-5, momentum: 0.99 };

/** Units per stack (conv2 … conv5) of Keras' ResNet50V2, ResNet101V2, ResNet152V2. */
export const RESNET_V2_LAYOUTS = { 50: [3, 4, 6, 3], 101: [3, 4, 23, 3], 152: [3, 8, 36, 3] } as const;

/** Options of one Keras ResNet V2 block. */
export interface ResNetV2BlockOptions {
  /** Width of the 1×1 and 3×3 convs; output 4×. */
  filters: number;
  /** Layer-name prefix, e.g. `conv2_block1`. */
  name: string;
  /** Stride of the 3×3 conv; the identity shortcut becomes a 1×1 max pool with that stride. Default 1. */
  strides?: number;
  /** 1×1 conv shortcut (with bias) on the pre-activation, as the first block of a stack. Default false. */
  convShortcut?: boolean;
  /** Seeded initialiser stream. */
  init?: WeightInit;
}

/**
 * Builds Keras' `residual_block_v2` (pre-activation bottleneck): BN-ReLU shared by the conv shortcut and
 * 1×1 (no bias)-BN-ReLU, 3×3/s (no bias)-BN-ReLU, 1×1 ×4 (with bias), add.
 */
export function resnetV2Block(options: ResNetV2BlockOptions): Block {
  const { filters, name, strides = 1, convShortcut = false } = options;
  const init = options.init ?? createWeightInit();
  return (x: Tensor): Tensor => {
    let preact = batchNorm(x, `${name}/preact_bn`, KERAS_BN);
    preact = relu(preact, `${name}/preact_relu`);
    const shortcut = convShortcut
      ? conv(preact, {
          filters: 4 * filters,
          kernelSize: 1,
          strides,
          useBias: true,
          name: `${name}/shortcut`,
          init,
        })
      : strides > 1
        ? maxPool(x, `${name}/shortcut_pool`, 1, strides, 'valid')
        : x;
    let f = conv(preact, { filters, kernelSize: 1, name: `${name}/conv1`, init });
    f = relu(batchNorm(f, `${name}/bn1`, KERAS_BN), `${name}/relu1`);
    f = conv(f, { filters, kernelSize: 3, strides, name: `${name}/conv2`, init });
    f = relu(batchNorm(f, `${name}/bn2`, KERAS_BN), `${name}/relu2`);
    f = conv(f, { filters: 4 * filters, kernelSize: 1, useBias: true, name: `${name}/conv3`, init });
    const y = add([shortcut, f], `${name}/add`);
    const record = { kind: 'resnetV2Block' as const, name, filters, strides, convShortcut };
    return recordBlock({ ...record, bnEpsilon: KERAS_BN.epsilon, bnMomentum: KERAS_BN.momentum }, x, y);
  };
}

const resnetV2Schema = z.strictObject({
  /** 50, 101 or 152. Default 50. */
  depth: z
    .union([z.literal(50), z.literal(101), z.literal(152)], { error: 'one of 50, 101, 152' })
    .default(50),
  /** Input [height, width, channels]. Default [224, 224, 3]. */
  inputShape: inputShapeSchema.default([224, 224, 3]),
  /** Output classes. Default 1000. */
  classes: positiveInt.default(1000),
  /** Multiplier of every channel count. Default 1. */
  width: widthSchema.default(1),
  /** Seed of the initialisers. Default 0. */
  seed: seedSchema.default(0),
  /** Ends with a softmax (Keras' default) instead of logits. Default false. */
  softmax: z.boolean({ error: 'true or false' }).default(false),
  /** Model name. Default `resnet<depth>v2`. */
  name: z.string({ error: 'a model name' }).optional(),
});

/** Options of {@link buildResNetV2}. */
export type ResNetV2Options = z.input<typeof resnetV2Schema>;

/**
 * Builds Keras' ResNet50V2/101V2/152V2 (pre-activation, He et al. 2016) layer for layer: conv1 7×7/2
 * with bias and no BN, 3×3/2 max pool, four stacks whose first block has a conv shortcut and whose last
 * block carries the stride (conv5 has none), then the final BN-ReLU, global average pool and FC. Keras
 * pads explicitly with zeros; 'same' padding here gives the same shapes.
 */
export function buildResNetV2(options: ResNetV2Options = {}): tf.LayersModel {
  const o = parseOptions(resnetV2Schema, options, 'ResNet V2 option');
  const init = createWeightInit({ seed: o.seed });
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x: Tensor = conv(input, {
    filters: scaleChannels(64, o.width),
    kernelSize: 7,
    strides: 2,
    useBias: true,
    name: 'conv1/conv',
    init,
  }); // [batch, h/2, w/2, 64]
  x = maxPool(x, 'conv1/pool', 3, 2, 'same'); // [batch, h/4, w/4, 64]
  RESNET_V2_LAYOUTS[o.depth].forEach((blocks, stack) => {
    const filters = scaleChannels(64 * 2 ** stack, o.width);
    const lastStride = stack === 3 ? 1 : 2;
    for (let b = 1; b <= blocks; b++) {
      x = resnetV2Block({
        filters,
        name: `conv${stack + 2}_block${b}`,
        strides: b === blocks ? lastStride : 1,
        convShortcut: b === 1,
        init,
      })(x);
    }
  }); // [batch, h/32, w/32, 2048]
  x = relu(batchNorm(x, 'post/bn', KERAS_BN), 'post/relu');
  x = globalAvgPool(x, 'avgpool'); // [batch, 2048]
  const output = dense(x, o.classes, 'fc', init, o.softmax); // [batch, classes]
  return tf.model({ inputs: input, outputs: output, name: o.name ?? `resnet${o.depth}v2` });
}
