import { residualUnit, type ResidualUnitOptions } from './residualUnit.ts';
import type { Block } from './primitives.ts';

/** Options of a pre-activation unit. */
export interface PreactBlockOptions {
  /** Output channels (basic) or width (bottleneck, output 4×). */
  filters: number;
  /** Layer-name prefix. */
  name: string;
  /** Stride of the unit. Default 1. */
  strides?: number;
  /** Bottleneck stride on the first 1×1 (`'paper'`, the authors' Torch code) or the 3×3. Default `'paper'`. */
  stridePlacement?: 'paper' | 'torchvision';
  /** The input is already activated (first unit after conv1-BN-ReLU). Default false. */
  skipPreactivation?: boolean;
  /** Shortcut when the shape changes: pre-activated 1×1 projection, or zero padding. Default `'projection'`. */
  downsample?: 'projection' | 'zeroPad';
  /** Seeded initialiser stream. */
  init?: ResidualUnitOptions['init'];
}

/**
 * Builds the full pre-activation basic unit of He et al. 2016 (Fig. 1(b), 4(e)): BN-ReLU-conv3×3,
 * BN-ReLU-conv3×3, add; nothing after the addition, so the shortcut path is a pure identity.
 */
export function preactBasicBlock(options: PreactBlockOptions): Block {
  return residualUnit({
    stridePlacement: 'paper',
    ...options,
    branch: 'basic',
    activation: 'fullPreactivation',
  });
}

/** Builds the full pre-activation bottleneck unit of He et al. 2016: BN-ReLU-1×1, BN-ReLU-3×3, BN-ReLU-1×1 (×4), add. */
export function preactBottleneckBlock(options: PreactBlockOptions): Block {
  return residualUnit({
    stridePlacement: 'paper',
    ...options,
    branch: 'bottleneck',
    activation: 'fullPreactivation',
  });
}
