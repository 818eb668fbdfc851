import { residualUnit, type ResidualUnitOptions } from './residualUnit.ts';
import type { Block } from './primitives.ts';

/** Options of a post-activation bottleneck block. */
export interface BottleneckBlockOptions {
  /** Width of the 1×1 and 3×3 convs; the output has 4× as many channels. */
  filters: number;
  /** Layer-name prefix, e.g. `conv3_1`. */
  name: string;
  /** Stride of the block. Default 1. */
  strides?: number;
  /** Stride on the first 1×1 (`'paper'`, He et al. 2015) or on the 3×3 (`'torchvision'`, "ResNet v1.5"). Default `'torchvision'`. */
  stridePlacement?: 'paper' | 'torchvision';
  /** Shortcut when the shape changes. Default `'projection'`. */
  downsample?: 'projection' | 'zeroPad';
  /** Biases on every conv. Default false. */
  useBias?: boolean;
  /** Seeded initialiser stream. */
  init?: ResidualUnitOptions['init'];
}

/**
 * Builds the bottleneck block of He et al. 2015 (Fig. 5, right): 1×1 reduce, 3×3, 1×1 expand ×4,
 * each followed by BN (and ReLU but the last), add the shortcut, ReLU.
 */
export function bottleneckBlock(options: BottleneckBlockOptions): Block {
  return residualUnit({ ...options, branch: 'bottleneck' });
}
