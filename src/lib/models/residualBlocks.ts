import { residualUnit, type ResidualUnitOptions } from './residualUnit.ts';
import type { Block } from './primitives.ts';

/** Options of a post-activation basic block. */
export interface BasicBlockOptions {
  /** Output channels. */
  filters: number;
  /** Layer-name prefix, e.g. `conv2_1`. */
  name: string;
  /** Stride of the first 3×3 conv and of the shortcut. Default 1. */
  strides?: number;
  /** Shortcut when the shape changes: `'projection'` (1×1 conv, option B) or `'zeroPad'` (option A). Default `'projection'`. */
  downsample?: 'projection' | 'zeroPad';
  /** Use a 1×1 conv shortcut even when the shape does not change (option C; d2l's `use_1x1conv`). Default false. */
  projectAlways?: boolean;
  /** Biases on every conv (d2l's code). Default false. */
  useBias?: boolean;
  /** BN after a projection shortcut (torchvision yes, d2l no). Default true. */
  projectionBatchNorm?: boolean;
  /** Seeded initialiser stream. */
  init?: ResidualUnitOptions['init'];
}

/**
 * Builds the original basic block of He et al. 2015 (Fig. 2): conv3×3-BN-ReLU-conv3×3-BN, add the
 * shortcut, ReLU.
 */
export function basicBlock(options: BasicBlockOptions): Block {
  const { projectAlways, ...rest } = options;
  return residualUnit({ ...rest, branch: 'basic', shortcut: projectAlways ? 'conv1x1' : 'identity' });
}
