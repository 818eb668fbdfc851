import type { WeightInit } from './init.ts';
import { GateCombine } from './layers/gateCombine.ts';
import { Scale } from './layers/scale.ts';
import { ShortcutDropout } from './layers/shortcutDropout.ts';
import { ZeroPadShortcut } from './layers/zeroPadShortcut.ts';
import { add, batchNorm, conv, type Tensor } from './primitives.ts';

/** Shortcut variants of He et al. 2016, Fig. 2 / Table 1. */
export const SHORTCUT_VARIANTS = [
  'identity',
  'constantScaling',
  'exclusiveGating',
  'shortcutOnlyGating',
  'conv1x1',
  'dropout',
] as const;
/** One of {@link SHORTCUT_VARIANTS}. */
export type ShortcutVariant = (typeof SHORTCUT_VARIANTS)[number];

/** How a unit that changes shape (stride or channels) builds its shortcut (He et al. 2015, §3.3). */
export const DOWNSAMPLE_SHORTCUTS = ['zeroPad', 'projection'] as const;
/** `'zeroPad'` = option A (parameter-free), `'projection'` = option B (1×1 conv). */
export type DownsampleShortcut = (typeof DOWNSAMPLE_SHORTCUTS)[number];

/** Options of the shortcut path and of how it merges with the residual. */
export interface ShortcutOptions {
  /** Variant of Fig. 2. Default `'identity'`. */
  variant: ShortcutVariant;
  /** Shortcut when the unit changes shape. */
  downsample: DownsampleShortcut;
  /** λ of constant scaling. Default 0.5. */
  scale: number;
  /** Constant scaling also scales F by 1 − λ (Table 1's only non-failing row). Default true. */
  scaleResidual: boolean;
  /** Initial gate bias b_g (paper's best: −6). */
  gateBias: number;
  /** Dropout rate on the shortcut. Default 0.5. */
  dropoutRate: number;
  /** BN after a 1×1 projection (post-activation units: yes; pre-activation: no). */
  projectionBatchNorm: boolean;
  /** Biases on the projection conv. */
  useBias: boolean;
}

/**
 * Builds the shortcut s of a unit from its input x (or the shared pre-activation when the unit changes
 * shape). When shapes differ, s is the option A or B downsample; the `conv1x1` variant always projects.
 */
export function buildShortcut(
  x: Tensor,
  outChannels: number,
  strides: number,
  o: ShortcutOptions,
  name: string,
  init: WeightInit,
): Tensor {
  const changesShape = strides !== 1 || x.shape[3] !== outChannels;
  if (o.variant === 'conv1x1' || (changesShape && o.downsample === 'projection')) {
    const s = conv(x, {
      filters: outChannels,
      kernelSize: 1,
      strides,
      useBias: o.useBias,
      name: `${name}/shortcut`,
      init,
    });
    return o.projectionBatchNorm ? batchNorm(s, `${name}/shortcut_bn`) : s;
  }
  if (changesShape) {
    return new ZeroPadShortcut({ strides, channels: outChannels, name: `${name}/shortcut` }).apply(
      x,
    ) as Tensor;
  }
  return x;
}

/** Merges shortcut s and residual F as the variant defines: s + F, λs + (1−λ)F, gates, dropout. */
export function mergeShortcut(
  s: Tensor,
  f: Tensor,
  o: ShortcutOptions,
  name: string,
  init: WeightInit,
): Tensor {
  switch (o.variant) {
    case 'constantScaling': {
      const scaledS = new Scale({ scale: o.scale, name: `${name}/shortcut_scale` }).apply(s) as Tensor;
      const scaledF = o.scaleResidual
        ? (new Scale({ scale: 1 - o.scale, name: `${name}/residual_scale` }).apply(f) as Tensor)
        : f;
      return add([scaledS, scaledF], `${name}/add`);
    }
    case 'exclusiveGating':
    case 'shortcutOnlyGating': {
      // g(x) = σ(W_g x + b_g), W_g a 1×1 conv, element-wise; no BN so that b_g keeps its meaning.
      const channels = s.shape[3] as number;
      const gate = conv(s, {
        filters: channels,
        kernelSize: 1,
        useBias: true,
        biasValue: o.gateBias,
        activation: 'sigmoid',
        name: `${name}/gate`,
        init,
      });
      const mode = o.variant === 'exclusiveGating' ? 'exclusive' : 'shortcutOnly';
      return new GateCombine({ mode, name: `${name}/gate_combine` }).apply([s, f, gate]) as Tensor;
    }
    case 'dropout': {
      const dropped = new ShortcutDropout({ rate: o.dropoutRate, name: `${name}/shortcut_dropout` }).apply(
        s,
      ) as Tensor;
      return add([dropped, f], `${name}/add`);
    }
    default:
      return add([s, f], `${name}/add`);
  }
}
