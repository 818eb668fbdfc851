import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ACTIVATION_VARIANTS, placementOf } from './activationVariants.ts';
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
import { batchNorm, conv, dense, globalAvgPool, relu, type Tensor } from './primitives.ts';
import { RESIDUAL_BRANCHES, residualUnit, STRIDE_PLACEMENTS } from './residualUnit.ts';
import { DOWNSAMPLE_SHORTCUTS, SHORTCUT_VARIANTS } from './shortcuts.ts';

const cifarSchema = z.strictObject({
  /** Weighted layers: 6n+2 with basic units (20, 32, 44, 56, 110, 1202), 9n+2 with bottlenecks (164, 1001). Default 20. */
  depth: positiveInt.default(20),
  /** `'basic'` (2 convs) or `'bottleneck'` (3 convs, output 4× the width). Default `'basic'`. */
  branch: oneOf(RESIDUAL_BRANCHES).default('basic'),
  /** Shortcut variant (He et al. 2016, Fig. 2). Default `'identity'`. */
  shortcut: oneOf(SHORTCUT_VARIANTS).default('identity'),
  /** Activation placement (He et al. 2016, Fig. 4). Default `'original'`. */
  activation: oneOf(ACTIVATION_VARIANTS).default('original'),
  /**
   * Shortcut of the shape-changing units: `'zeroPad'` (option A) or `'projection'` (option B). Default
   * `'zeroPad'` for post-activation basic units (He et al. 2015, §4.2), `'projection'` for pre-activation
   * or bottleneck units (He et al. 2016, appendix).
   */
  downsample: oneOf(DOWNSAMPLE_SHORTCUTS).optional(),
  /** No shortcuts: the plain net of the degradation experiment (Fig. 6). Default false. */
  plain: z.boolean({ error: 'true or false' }).default(false),
  /** Widths of the three stages (bottleneck outputs are 4×). Default [16, 32, 64]. */
  widths: z.array(positiveInt, { error: 'a list of positive integers' }).min(1).default([16, 32, 64]),
  /** Multiplier of every channel count. Default 1. */
  width: widthSchema.default(1),
  /** Input [height, width, channels]. Default [32, 32, 3]. */
  inputShape: inputShapeSchema.default([32, 32, 3]),
  /** Output classes. Default 10. */
  classes: positiveInt.default(10),
  /** Seed of the initialisers. Default 0. */
  seed: seedSchema.default(0),
  /** Bottleneck stride on the first 1×1 (`'paper'`, the authors' code) or the 3×3. Default `'paper'`. */
  stridePlacement: oneOf(STRIDE_PLACEMENTS).default('paper'),
  /** λ of constant scaling. Default 0.5. */
  shortcutScale: z.number({ error: 'a number' }).default(0.5),
  /** Constant scaling also scales F by 1 − λ. Default true. */
  scaleResidual: z.boolean({ error: 'true or false' }).default(true),
  /** Initial gate bias b_g. Default −6. */
  gateBias: z.number({ error: 'a number' }).default(-6),
  /** Dropout rate of the dropout shortcut. Default 0.5. */
  dropoutRate: z
    .number({ error: 'a number in [0, 1)' })
    .min(0)
    .lt(1, { error: 'a number in [0, 1)' })
    .default(0.5),
  /** Ends with a softmax instead of logits. Default false. */
  softmax: z.boolean({ error: 'true or false' }).default(false),
  /** Starts every residual branch at zero: γ = 0 in its last BN (Goyal et al. 2017), or a zero last conv in pre-activation units. Default false. */
  zeroInitResidual: z.boolean({ error: 'true or false' }).default(false),
  /** Model name. Default derived from the options, e.g. `cifar-resnet20`. */
  name: z.string({ error: 'a model name' }).optional(),
});

/** Options of {@link buildCifarResNet}; every ablation of the two papers' CIFAR experiments is a value here. */
export type CifarResNetOptions = z.input<typeof cifarSchema>;

/**
 * Builds a CIFAR ResNet (He et al. 2015 §4.2; He et al. 2016): conv1 3×3 16, three stages of n units on
 * 32², 16², 8² maps (16, 32, 64 channels; stride 2 in the first unit of stages 2 and 3), global average
 * pool, FC. Pre-activation variants take conv1's BN-ReLU as the first unit's activation and end with an
 * extra activation after the last addition (He et al. 2016, appendix).
 */
export function buildCifarResNet(options: CifarResNetOptions = {}): tf.LayersModel {
  const o = parseOptions(cifarSchema, options, 'CIFAR ResNet option');
  const isBottleneck = o.branch === 'bottleneck';
  const convsPerUnit = isBottleneck ? 3 : 2;
  const stageCount = o.widths.length;
  const n = (o.depth - 2) / (convsPerUnit * stageCount);
  if (!Number.isInteger(n) || n < 1) {
    const k = convsPerUnit * stageCount;
    const examples = [1, 2, 3].map((i) => k * i + 2).join(', ');
    throw new Error(`invalid depth: ${o.depth} (expected ${k}n+2 for ${o.branch} units, e.g. ${examples})`);
  }
  const placement = placementOf(o.activation);
  const downsample = o.downsample ?? (placement.isPreactivation || isBottleneck ? 'projection' : 'zeroPad');
  const init = createWeightInit({ seed: o.seed });

  const input = tf.input({ shape: o.inputShape, name: 'input' });
  let x: Tensor = conv(input, {
    filters: scaleChannels(16, o.width),
    kernelSize: 3,
    name: 'conv1/conv',
    init,
  });
  x = batchNorm(x, 'conv1/bn');
  x = relu(x, 'conv1/relu'); // [batch, 32, 32, 16]
  o.widths.forEach((stageWidth, stage) => {
    for (let unit = 0; unit < n; unit++) {
      x = residualUnit({
        filters: scaleChannels(stageWidth, o.width),
        name: `conv${stage + 2}_${unit + 1}`,
        branch: o.branch,
        strides: stage > 0 && unit === 0 ? 2 : 1,
        stridePlacement: o.stridePlacement,
        shortcut: o.shortcut,
        activation: o.activation,
        downsample,
        plain: o.plain,
        skipPreactivation: stage === 0 && unit === 0,
        shortcutScale: o.shortcutScale,
        scaleResidual: o.scaleResidual,
        gateBias: o.gateBias,
        dropoutRate: o.dropoutRate,
        zeroInitResidual: o.zeroInitResidual,
        init,
      })(x);
    }
  }); // [batch, 8, 8, 64 (×4 for bottlenecks)]
  if (placement.isPreactivation) {
    if (placement.bnBefore) x = batchNorm(x, 'post/bn');
    x = relu(x, 'post/relu');
  }
  x = globalAvgPool(x, 'avgpool'); // [batch, channels]
  const output = dense(x, o.classes, 'fc', init, o.softmax); // [batch, classes]
  const kind = o.plain ? 'plain' : placement.isPreactivation ? 'preact-resnet' : 'resnet';
  return tf.model({ inputs: input, outputs: output, name: o.name ?? `cifar-${kind}${o.depth}` });
}

/** Options of {@link buildPreactCifarResNet}: those of {@link buildCifarResNet} without `activation`. */
export type PreactCifarResNetOptions = Omit<CifarResNetOptions, 'activation'>;

/**
 * Builds a pre-activation CIFAR ResNet of He et al. 2016 (Table 3): ResNet-110 with basic units; ResNet-164
 * and ResNet-1001 with bottlenecks (stages output 64, 128, 256). Depths of 164 and more default to
 * bottlenecks.
 */
export function buildPreactCifarResNet(options: PreactCifarResNetOptions = {}): tf.LayersModel {
  const depth = options.depth ?? 164;
  return buildCifarResNet({
    branch: depth >= 164 ? 'bottleneck' : 'basic',
    ...options,
    depth,
    activation: 'fullPreactivation',
  });
}
