import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { createWeightInit } from './init.ts';
import {
  inputShapeSchema,
  oneOf,
  parseOptions,
  positiveInt,
  scaleChannels,
  seedSchema,
  widthSchema,
} from './options.ts';
import { batchNorm, conv, dense, globalAvgPool, maxPool, relu, type Tensor } from './primitives.ts';
import { RESIDUAL_BRANCHES, residualUnit, STRIDE_PLACEMENTS } from './residualUnit.ts';

/** Units per stage (conv2_x … conv5_x) and branch of Table 1 of He et al. 2015. */
export const RESNET_LAYOUTS = {
  18: { branch: 'basic', units: [2, 2, 2, 2] },
  34: { branch: 'basic', units: [3, 4, 6, 3] },
  50: { branch: 'bottleneck', units: [3, 4, 6, 3] },
  101: { branch: 'bottleneck', units: [3, 4, 23, 3] },
  152: { branch: 'bottleneck', units: [3, 8, 36, 3] },
} as const;

const resnetSchema = z.strictObject({
  /** 18, 34 (basic blocks), 50, 101, 152 (bottlenecks). Default 50. */
  depth: z
    .union([z.literal(18), z.literal(34), z.literal(50), z.literal(101), z.literal(152)], {
      error: 'one of 18, 34, 50, 101, 152',
    })
    .default(50),
  /** Units per stage (conv2_x … conv5_x), overriding the depth's layout, e.g. [3, 4, 23, 3]. Default: Table 1. */
  units: z
    .tuple([positiveInt, positiveInt, positiveInt, positiveInt], {
      error: 'four positive integers, units per stage',
    })
    .optional(),
  /** Unit branch, overriding the depth's layout: `'basic'` or `'bottleneck'`. Default: Table 1. */
  branch: oneOf(RESIDUAL_BRANCHES).optional(),
  /** Bottleneck stride on the first 1×1 (`'paper'`) or on the 3×3 (`'torchvision'`, v1.5). Default `'torchvision'`. */
  stridePlacement: oneOf(STRIDE_PLACEMENTS).default('torchvision'),
  /** Input [height, width, channels]. Default [224, 224, 3]. */
  inputShape: inputShapeSchema.default([224, 224, 3]),
  /** Output classes. Default 1000. */
  classes: positiveInt.default(1000),
  /** Multiplier of every channel count. Default 1. */
  width: widthSchema.default(1),
  /** Seed of the initialisers. Default 0. */
  seed: seedSchema.default(0),
  /** Ends with a softmax instead of logits. Default false. */
  softmax: z.boolean({ error: 'true or false' }).default(false),
  /** Biases on every conv (d2l's code; torchvision has none). Default false. */
  useBias: z.boolean({ error: 'true or false' }).default(false),
  /** BN after the 1×1 projection shortcuts (torchvision yes, d2l no). Default true. */
  projectionBatchNorm: z.boolean({ error: 'true or false' }).default(true),
  /** γ = 0 in the last BN of every residual branch (Goyal et al. 2017; torchvision's `zero_init_residual`). Default false. */
  zeroInitResidual: z.boolean({ error: 'true or false' }).default(false),
  /** Model name. Default `resnet<depth>`. */
  name: z.string({ error: 'a model name' }).optional(),
});

/** Options of {@link buildResNet}. */
export type ResNetOptions = z.input<typeof resnetSchema>;

/**
 * Builds an ImageNet ResNet of He et al. 2015 (Table 1) in torchvision's layout: conv1 7×7/2 64-BN-ReLU,
 * 3×3/2 max pool, four stages conv2_x … conv5_x (64, 128, 256, 512 channels; stride 2 in conv3_1,
 * conv4_1, conv5_1; projection shortcuts where the shape changes, option B), global average pool, FC.
 */
export function buildResNet(options: ResNetOptions = {}): tf.LayersModel {
  const o = parseOptions(resnetSchema, options, 'ResNet option');
  const init = createWeightInit({ seed: o.seed });
  const layout = {
    branch: o.branch ?? RESNET_LAYOUTS[o.depth].branch,
    units: o.units ?? RESNET_LAYOUTS[o.depth].units,
  };
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x: Tensor = conv(input, {
    filters: scaleChannels(64, o.width),
    kernelSize: 7,
    strides: 2,
    useBias: o.useBias,
    name: 'conv1/conv',
    init,
  }); // [batch, h/2, w/2, 64]
  x = batchNorm(x, 'conv1/bn');
  x = relu(x, 'conv1/relu');
  x = maxPool(x, 'conv1/pool', 3, 2, 'same'); // [batch, h/4, w/4, 64]
  layout.units.forEach((units, stage) => {
    for (let unit = 0; unit < units; unit++) {
      x = residualUnit({
        filters: scaleChannels(64 * 2 ** stage, o.width),
        name: `conv${stage + 2}_${unit + 1}`,
        branch: layout.branch,
        strides: stage > 0 && unit === 0 ? 2 : 1,
        stridePlacement: o.stridePlacement,
        useBias: o.useBias,
        projectionBatchNorm: o.projectionBatchNorm,
        zeroInitResidual: o.zeroInitResidual,
        init,
      })(x);
    }
  }); // [batch, h/32, w/32, 512 or 2048]
  x = globalAvgPool(x, 'avgpool'); // [batch, channels]
  const output = dense(x, o.classes, 'fc', init, o.softmax); // [batch, classes]
  const depth = (layout.branch === 'bottleneck' ? 3 : 2) * layout.units.reduce((a, b) => a + b, 0) + 2;
  return tf.model({ inputs: input, outputs: output, name: o.name ?? `resnet${depth}` });
}

/** Options of {@link buildD2lResNet18}. */
export interface D2lResNetOptions {
  /** Input [height, width, channels]. Default [224, 224, 1]. */
  inputShape?: [number, number, number];
  /** Output classes. Default 10. */
  classes?: number;
  /** Multiplier of every channel count. Default 1. */
  width?: number;
  /** Seed of the initialisers. Default 0. */
  seed?: number;
}

/**
 * Builds the ResNet-18 of the d2l seed article: torchvision's layout but every conv has a bias and the
 * 1×1 shortcut convs (`use_1x1conv`) have no BN; one input channel, 10 classes.
 */
export function buildD2lResNet18(options: D2lResNetOptions = {}): tf.LayersModel {
  return buildResNet({
    depth: 18,
    inputShape: options.inputShape ?? [224, 224, 1],
    classes: options.classes ?? 10,
    width: options.width ?? 1,
    seed: options.seed ?? 0,
    useBias: true,
    projectionBatchNorm: false,
    name: 'd2l-resnet18',
  });
}
