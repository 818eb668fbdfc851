import { z } from 'zod';
import { ACTIVATION_VARIANTS, placementOf } from './activationVariants.ts';
import { createWeightInit, type WeightInit } from './init.ts';
import { oneOf, parseOptions, positiveInt } from './options.ts';
import { recordBlock } from './blockRecords.ts';
import { batchNorm, channelsOf, conv, relu, type Block, type Tensor } from './primitives.ts';
import { buildShortcut, DOWNSAMPLE_SHORTCUTS, mergeShortcut, SHORTCUT_VARIANTS } from './shortcuts.ts';

/** Residual branch shapes: two 3×3 convs, or 1×1 → 3×3 → 1×1 with expansion 4. */
export const RESIDUAL_BRANCHES = ['basic', 'bottleneck'] as const;
/** Where a strided bottleneck puts its stride: the first 1×1 (He et al. 2015) or the 3×3 (torchvision, "v1.5"). */
export const STRIDE_PLACEMENTS = ['paper', 'torchvision'] as const;
/** Output channels of a bottleneck relative to its width. */
export const BOTTLENECK_EXPANSION = 4;

const residualUnitSchema = z.strictObject({
  /** Width of the branch: output channels (basic) or 3×3 channels (bottleneck, output 4×). */
  filters: positiveInt,
  /** Layer-name prefix, e.g. `conv3_1`; layers are named `conv3_1/conv1`, `conv3_1/bn1`, … */
  name: z
    .string({ error: 'a layer-name prefix' })
    .regex(/^[A-Za-z0-9][-\w./]*$/, { error: 'a layer-name prefix' }),
  /** `'basic'` (two 3×3) or `'bottleneck'` (1×1 → 3×3 → 1×1). Default `'basic'`. */
  branch: oneOf(RESIDUAL_BRANCHES).default('basic'),
  /** Stride of the unit (2 halves height and width). Default 1. */
  strides: positiveInt.default(1),
  /** Bottleneck stride on the first 1×1 (`'paper'`) or on the 3×3 (`'torchvision'`). Default `'torchvision'`. */
  stridePlacement: oneOf(STRIDE_PLACEMENTS).default('torchvision'),
  /** Shortcut variant of He et al. 2016, Fig. 2. Default `'identity'`. */
  shortcut: oneOf(SHORTCUT_VARIANTS).default('identity'),
  /** Activation placement of He et al. 2016, Fig. 4. Default `'original'`. */
  activation: oneOf(ACTIVATION_VARIANTS).default('original'),
  /** Shortcut when the shape changes: `'zeroPad'` (option A) or `'projection'` (option B). Default `'projection'`. */
  downsample: oneOf(DOWNSAMPLE_SHORTCUTS).default('projection'),
  /** No shortcut at all: the plain counterpart of the unit. Default false. */
  plain: z.boolean({ error: 'true or false' }).default(false),
  /** The input is already activated (first unit after conv1 in a pre-activation net). Default false. */
  skipPreactivation: z.boolean({ error: 'true or false' }).default(false),
  /** Biases on every conv (d2l's code). Default false. */
  useBias: z.boolean({ error: 'true or false' }).default(false),
  /** BN after a projection shortcut. Default: true for post-activation, false for pre-activation. */
  projectionBatchNorm: z.boolean({ error: 'true or false' }).optional(),
  /** λ of constant scaling. Default 0.5. */
  shortcutScale: z.number({ error: 'a number' }).default(0.5),
  /** Constant scaling also scales F by 1 − λ. Default true. */
  scaleResidual: z.boolean({ error: 'true or false' }).default(true),
  /** Initial gate bias b_g of the gating variants. Default −6 (the paper's best). */
  gateBias: z.number({ error: 'a number' }).default(-6),
  /** Dropout rate of the dropout shortcut. Default 0.5. */
  dropoutRate: z
    .number({ error: 'a number in [0, 1)' })
    .min(0, { error: 'a number in [0, 1)' })
    .lt(1, { error: 'a number in [0, 1)' })
    .default(0.5),
  /** BN ε. Default 1e-5 (PyTorch). */
  bnEpsilon: z.number({ error: 'a positive number' }).positive({ error: 'a positive number' }).default(1e-5),
  /**
   * Starts the residual branch at exactly zero, so the unit begins as its shortcut (plus what follows the
   * addition): the branch's last BN starts with γ = 0 (Goyal et al. 2017, "zero γ"; torchvision's
   * `zero_init_residual`), or, where the branch ends in a conv (full pre-activation, BN after addition),
   * that conv's kernel starts at zero (timm's `zero_init_last`). Same parameters. Default false.
   */
  zeroInitResidual: z.boolean({ error: 'true or false' }).default(false),
});

/** Every default of a residual unit's options (what the PyTorch export leaves unsaid). */
export const RESIDUAL_UNIT_DEFAULTS = residualUnitSchema.parse({ filters: 1, name: 'unit' });

/** A residual unit's options after defaults, with `projectionBatchNorm` resolved from the activation. */
export type ResolvedResidualUnitOptions = Omit<z.output<typeof residualUnitSchema>, 'projectionBatchNorm'> & {
  projectionBatchNorm: boolean;
};

/** Options of a residual unit; every variant of the two papers is a value here. */
export type ResidualUnitOptions = z.input<typeof residualUnitSchema> & {
  /** Seeded initialiser stream. Default: a fresh stream with seed 0. */
  init?: WeightInit;
};

/**
 * Builds a residual unit x → merge(shortcut(x), F(x)) (He et al. 2015 Fig. 2 and 5; He et al. 2016
 * Fig. 2 and 4). With the defaults it is the original post-activation basic block.
 */
export function residualUnit(options: ResidualUnitOptions): Block {
  const { init: initOption, ...rest } = options;
  const o = parseOptions(residualUnitSchema, rest, 'residual unit option');
  const init = initOption ?? createWeightInit();
  const placement = placementOf(o.activation);
  if (o.zeroInitResidual && (o.plain || placement.lastReluAfter)) {
    const why = o.plain
      ? 'a plain unit has no shortcut, so a branch that starts at zero would pass nothing on'
      : 'reluBeforeAddition ends its branch in a ReLU, whose gradient at 0 is 0, so the branch would stay at zero';
    throw new Error(`invalid zeroInitResidual: true (expected false here: ${why})`);
  }
  const isBottleneck = o.branch === 'bottleneck';
  const outChannels = isBottleneck ? o.filters * BOTTLENECK_EXPANSION : o.filters;
  const convs = isBottleneck
    ? [
        { kernelSize: 1, filters: o.filters, strides: o.stridePlacement === 'paper' ? o.strides : 1 },
        { kernelSize: 3, filters: o.filters, strides: o.stridePlacement === 'paper' ? 1 : o.strides },
        { kernelSize: 1, filters: outChannels, strides: 1 },
      ]
    : [
        { kernelSize: 3, filters: o.filters, strides: o.strides },
        { kernelSize: 3, filters: o.filters, strides: 1 },
      ];
  const last = convs.length - 1;
  // zeroInitResidual zeroes the branch's last BN scale if it ends in BN, else its last conv's kernel.
  const zeroLastBn = o.zeroInitResidual && placement.lastBnAfter;
  const zeroLastConv = o.zeroInitResidual && !placement.lastBnAfter;
  const bn = (x: Tensor, layer: string, zeroGamma = false) =>
    batchNorm(x, `${o.name}/${layer}`, { epsilon: o.bnEpsilon, zeroGamma });

  return (x: Tensor): Tensor => {
    const changesShape = o.strides !== 1 || channelsOf(x) !== outChannels;
    // Pre-activation of the first conv. In a shape-changing pre-activation unit it is shared with the
    // projection shortcut (He et al. 2016, appendix); otherwise the shortcut takes the raw x.
    let branchInput = x;
    let firstPreactivated = o.skipPreactivation;
    if (placement.isPreactivation && !o.skipPreactivation) {
      if (placement.bnBefore) branchInput = bn(branchInput, 'bn1');
      if (placement.reluBefore) branchInput = relu(branchInput, `${o.name}/relu1`);
      firstPreactivated = true;
    }
    const shortcutInput = placement.isPreactivation && changesShape ? branchInput : x;

    // Residual branch F, each conv wrapped as the activation variant places BN and ReLU.
    let f = branchInput;
    convs.forEach((c, i) => {
      const n = i + 1;
      if (i > 0 || !firstPreactivated) {
        if (placement.bnBefore) f = bn(f, `bn${n}`);
        if (placement.reluBefore) f = relu(f, `${o.name}/relu${n}`);
      }
      const zeroKernel = i === last && zeroLastConv;
      f = conv(f, { ...c, useBias: o.useBias, name: `${o.name}/conv${n}`, init, zeroKernel });
      if (i < last ? placement.bnAfter : placement.lastBnAfter) f = bn(f, `bn${n}`, i === last && zeroLastBn);
      if (i < last ? placement.reluAfter : placement.lastReluAfter) f = relu(f, `${o.name}/relu${n}`);
    });

    let y = f;
    if (!o.plain) {
      const shortcutOptions = {
        variant: o.shortcut,
        downsample: o.downsample,
        scale: o.shortcutScale,
        scaleResidual: o.scaleResidual,
        gateBias: o.gateBias,
        dropoutRate: o.dropoutRate,
        projectionBatchNorm: o.projectionBatchNorm ?? !placement.isPreactivation,
        useBias: o.useBias,
      };
      const s = buildShortcut(shortcutInput, outChannels, o.strides, shortcutOptions, o.name, init);
      y = mergeShortcut(s, f, shortcutOptions, o.name, init);
    }
    if (placement.bnAfterAdd) y = bn(y, 'out_bn');
    if (placement.reluAfterAdd) y = relu(y, `${o.name}/out_relu`);
    const { projectionBatchNorm, ...options } = o;
    const record = {
      kind: 'residualUnit' as const,
      ...options,
      projectionBatchNorm: projectionBatchNorm ?? !placement.isPreactivation,
    };
    return recordBlock(record, x, y);
  };
}
