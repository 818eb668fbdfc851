import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { recordBlock } from './blockRecords.ts';
import { createWeightInit, type WeightInit } from './init.ts';
import {
  inputShapeSchema,
  oneOf,
  parseOptions,
  positiveInt,
  scaleChannels,
  seedSchema,
  widthSchema,
} from './options.ts';
import { conv, dense, maxPool, relu, type Block, type Tensor } from './primitives.ts';

/** Options of one VGG block. */
export interface VggBlockOptions {
  /** Layer-name prefix. Default `'block'`. */
  name?: string;
  /** Biases on the convs (VGG has them). Default true. */
  useBias?: boolean;
  /** Seeded initialiser stream. */
  init?: WeightInit;
}

/**
 * Builds a VGG block (Simonyan & Zisserman 2014; d2l's `vgg_block`): `numConvs` 3×3 convs with padding
 * 1 and ReLU, then a 2×2 max pool with stride 2 that halves height and width.
 */
export function vggBlock(numConvs: number, channels: number, options: VggBlockOptions = {}): Block {
  const n = parseOptions(positiveInt, numConvs, 'numConvs');
  const c = parseOptions(positiveInt, channels, 'channels');
  const name = options.name ?? 'block';
  const init = options.init ?? createWeightInit();
  const useBias = options.useBias ?? true;
  return (input: Tensor): Tensor => {
    let x = input;
    for (let i = 1; i <= n; i++) {
      x = conv(x, {
        filters: c,
        kernelSize: 3,
        useBias,
        name: `${name}/conv${i}`,
        init,
      });
      x = relu(x, `${name}/relu${i}`);
    }
    const y = maxPool(x, `${name}/pool`, 2, 2, 'valid');
    return recordBlock({ kind: 'vggBlock', name, numConvs: n, channels: c, useBias }, input, y);
  };
}

/** Conv stacks of Table 1 of the VGG paper: [number of convs, channels] per block. */
export const VGG_CONFIGS = {
  11: [
    [1, 64],
    [1, 128],
    [2, 256],
    [2, 512],
    [2, 512],
  ],
  13: [
    [2, 64],
    [2, 128],
    [2, 256],
    [2, 512],
    [2, 512],
  ],
  16: [
    [2, 64],
    [2, 128],
    [3, 256],
    [3, 512],
    [3, 512],
  ],
  19: [
    [2, 64],
    [2, 128],
    [4, 256],
    [4, 512],
    [4, 512],
  ],
} as const satisfies Record<number, readonly (readonly [number, number])[]>;

/** Configuration letters of the paper by depth. */
export const VGG_CONFIG_LETTERS = { 11: 'A', 13: 'B', 16: 'D', 19: 'E' } as const;

const vggSchema = z.strictObject({
  /** 11, 13, 16 or 19 weight layers: configurations A, B, D, E. Default 11. */
  depth: z
    .union([z.literal(11), z.literal(13), z.literal(16), z.literal(19)], { error: 'one of 11, 13, 16, 19' })
    .default(11),
  /** Input [height, width, channels]. Default [224, 224, 3]. */
  inputShape: inputShapeSchema.default([224, 224, 3]),
  /** Output classes. Default 1000. */
  classes: positiveInt.default(1000),
  /** Multiplier of the conv channels (the FC layers keep `fcUnits`). d2l's narrow VGG is 0.25. Default 1. */
  width: widthSchema.default(1),
  /** Units of the two hidden FC layers. Default 4096. */
  fcUnits: positiveInt.default(4096),
  /** Dropout after each hidden FC layer. Default 0.5. */
  dropout: z
    .number({ error: 'a number in [0, 1)' })
    .min(0)
    .lt(1, { error: 'a number in [0, 1)' })
    .default(0.5),
  /** Seed of the initialisers. Default 0. */
  seed: seedSchema.default(0),
  /** Ends with a softmax instead of logits. Default false (logits, as PyTorch). */
  softmax: z.boolean({ error: 'true or false' }).default(false),
  /** Model name. Default `vgg<depth>`. */
  name: z.string({ error: 'a model name' }).optional(),
  /** Fan of the Kaiming conv initialiser. Default `'fanOut'` (torchvision). */
  convMode: oneOf(['fanIn', 'fanOut']).default('fanOut'),
});

/** Options of {@link buildVgg}. */
export type VggOptions = z.input<typeof vggSchema>;

/**
 * Builds VGG-11/13/16/19: five VGG blocks, flatten, FC-4096, ReLU, dropout, FC-4096, ReLU, dropout,
 * FC-classes. With 224×224 input the flatten has 7·7·512 features, as torchvision's adaptive pool gives.
 */
export function buildVgg(options: VggOptions = {}): tf.LayersModel {
  const o = parseOptions(vggSchema, options, 'VGG option');
  const init = createWeightInit({ seed: o.seed, convMode: o.convMode });
  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x: Tensor = input;
  VGG_CONFIGS[o.depth].forEach(([numConvs, channels], i) => {
    x = vggBlock(numConvs, scaleChannels(channels, o.width), { name: `block${i + 1}`, init })(x);
  });
  x = tf.layers.flatten({ name: 'classifier/flatten' }).apply(x) as Tensor; // [batch, h·w·c]
  for (const fc of [1, 2]) {
    x = dense(x, o.fcUnits, `classifier/fc${fc}`, init);
    x = relu(x, `classifier/relu${fc}`);
    x = tf.layers.dropout({ rate: o.dropout, name: `classifier/dropout${fc}` }).apply(x) as Tensor;
  }
  const output = dense(x, o.classes, 'classifier/fc3', init, o.softmax); // [batch, classes]
  return tf.model({ inputs: input, outputs: output, name: o.name ?? `vgg${o.depth}` });
}

/** Options of {@link buildD2lVgg11}. */
export interface D2lVggOptions {
  /** Conv channel multiplier: 1 for `conv_arch`, 0.25 for the seed's `small_conv_arch` (ratio 4). Default 1. */
  width?: number;
  /** Input [height, width, channels]. Default [224, 224, 1] (Fashion-MNIST resized). */
  inputShape?: [number, number, number];
  /** Output classes. Default 10. */
  classes?: number;
  /** Seed of the initialisers. Default 0. */
  seed?: number;
}

/**
 * Builds the VGG-11 of the d2l seed article: `conv_arch = ((1, 64), (1, 128), (2, 256), (2, 512),
 * (2, 512))` on 1×224×224, FC 4096-4096 with dropout 0.5, 10 classes. Its narrow version divides the
 * conv channels by 4 and keeps the 4096-unit FC layers, as the seed's `vgg(small_conv_arch)` does.
 */
export function buildD2lVgg11(options: D2lVggOptions = {}): tf.LayersModel {
  const width = options.width ?? 1;
  return buildVgg({
    depth: 11,
    inputShape: options.inputShape ?? [224, 224, 1],
    classes: options.classes ?? 10,
    width,
    seed: options.seed ?? 0,
    name: width === 1 ? 'd2l-vgg11' : 'd2l-vgg11-small',
  });
}
