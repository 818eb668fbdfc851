import type { Tensor } from './primitives.ts';
import type { ResolvedResidualUnitOptions } from './residualUnit.ts';

/** What a residual unit was built with: its options after defaults (see `residualUnit`). */
export type ResidualUnitRecord = { kind: 'residualUnit' } & ResolvedResidualUnitOptions;

/** What a Keras ResNet V2 block was built with. */
export interface ResNetV2BlockRecord {
  kind: 'resnetV2Block';
  filters: number;
  strides: number;
  convShortcut: boolean;
  bnEpsilon: number;
  /** TF's momentum (PyTorch's is 1 − this). */
  bnMomentum: number;
}

/** What a VGG block was built with. */
export interface VggBlockRecord {
  kind: 'vggBlock';
  numConvs: number;
  channels: number;
  useBias: boolean;
}

/** A block's record: its kind, its name prefix, and the options it was built with. */
export type BlockRecord = (ResidualUnitRecord | ResNetV2BlockRecord | VggBlockRecord) & {
  /** Layer-name prefix of the block, e.g. `conv3_1`. */
  name: string;
};

/** A record with the feature map the block was applied to. */
export interface AppliedBlock {
  record: BlockRecord;
  input: Tensor;
}

// Keyed by the block's output tensor, weakly, so a record lives exactly as long as the graph it
// describes. It is how the PyTorch exporter knows a block's options as data instead of guessing them
// from layer names (../shared/DESIGN.md: variants are data).
const applied = new WeakMap<Tensor, AppliedBlock>();

/** Records that a block with these options turned `input` into `output`; returns `output`. */
export function recordBlock(record: BlockRecord, input: Tensor, output: Tensor): Tensor {
  applied.set(output, { record, input });
  return output;
}

/** Returns the block that produced this feature map, if a block builder made it. */
export function appliedBlockOf(output: Tensor): AppliedBlock | undefined {
  return applied.get(output);
}
