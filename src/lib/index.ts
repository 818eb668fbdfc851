// Public API of the ResLab library. Explicit named re-exports only; append new lines below.
export {
  ACTIVATION_VARIANTS,
  basicBlock,
  bottleneckBlock,
  buildBlockModel,
  buildCifarResNet,
  buildD2lResNet18,
  buildD2lVgg11,
  buildModel,
  buildPreactCifarResNet,
  buildResNet,
  buildResNetV2,
  buildVgg,
  createWeightInit,
  DOWNSAMPLE_SHORTCUTS,
  GateCombine,
  getModelEntry,
  KaimingNormal,
  listModels,
  MODEL_NAMES,
  parseVariants,
  preactBasicBlock,
  preactBottleneckBlock,
  residualUnit,
  resnetV2Block,
  Scale,
  SHORTCUT_VARIANTS,
  ShortcutDropout,
  STRIDE_PLACEMENTS,
  vggBlock,
  ZeroPadShortcut,
} from './models/index.ts';
export type {
  ActivationVariant,
  BasicBlockOptions,
  Block,
  BottleneckBlockOptions,
  BuildModelOptions,
  CifarResNetOptions,
  D2lResNetOptions,
  D2lVggOptions,
  DownsampleShortcut,
  ModelEntry,
  PreactBlockOptions,
  PreactCifarResNetOptions,
  ResidualUnitOptions,
  ResNetOptions,
  ResNetV2Options,
  ShortcutVariant,
  VggBlockOptions,
  VggOptions,
  WeightInit,
} from './models/index.ts';
export { blockOf, toTorchOrder, traceModel } from './trace.ts';
export type { BlockTrace, LayerTrace, ModelTrace } from './trace.ts';
export { formatCount, formatMacs, formatShape } from './format.ts';
export { describeLayer, drawBlockDiagram, layoutGraph, readModelGraph } from './diagram.ts';
export type { BlockDiagramOptions, DiagramNode } from './diagram.ts';
export {
  deepResidualTable1Flops,
  deepResidualTable6,
  findPaperFigures,
  identityMappingsTable1,
  identityMappingsTable2,
  identityMappingsTable2Resnet164,
  identityMappingsTable3,
} from './paperNumbers.ts';
export type { PaperFigure, PaperTable } from './paperNumbers.ts';
