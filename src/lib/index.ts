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
export { formatCount, formatMacs, formatPercent, formatShape } from './format.ts';
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
export {
  createImageDataset,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_STATS,
  loadFashionMnist,
} from './data/fashionMnist.ts';
export type { ImageDataset, LoadFashionMnistOptions, LoadProgress } from './data/fashionMnist.ts';
export { decodeWithCanvas, loadImageFolder } from './data/imageFolder.ts';
export type {
  ImageDecoder,
  ImageFileEntry,
  ImageFolderOptions,
  ImageFolderResult,
} from './data/imageFolder.ts';
export { epochBatches, makeBatch, preprocessImages } from './data/batches.ts';
export type { Preprocess } from './data/batches.ts';
export { augmentBatch } from './data/augment.ts';
export type { AugmentOptions } from './data/augment.ts';
export { createImageSet, selectImages } from './data/imageSet.ts';
export type { ImageSet } from './data/imageSet.ts';
export { stratifiedSample, stratifiedSplit } from './data/split.ts';
export { createRandom, shuffledIndices } from './data/random.ts';
export { parseIdx, parseIdxPair } from './data/idx.ts';
export {
  compare,
  createMemoryResultsStore,
  createRunResult,
  createRunResults,
  evaluate,
  keepRecords,
  learningRateAt,
  openResultsStore,
  parseResults,
  resultsToCSV,
  resultsToJSON,
  train,
} from './train/index.ts';
export type {
  CompareOptions,
  DoneRecord,
  EpochRecord,
  ResultsStore,
  RunConfig,
  RunResult,
  Schedule,
  StepRecord,
  TrainData,
  TrainOptions,
  TrainRecord,
  Variant,
} from './train/index.ts';
export { BUDGETS, getBudget } from './budget.ts';
export type { Budget, BudgetName } from './budget.ts';
export { checkAnswer } from './exercise.ts';
export type { CheckResult } from './exercise.ts';
export { gradientFlow } from './gradientFlow.ts';
export type { GradientFlowEntry, GradientFlowOptions } from './gradientFlow.ts';
export { checkTrainingMemory, estimateTrainingMemory, TRAINING_MEMORY_LIMIT_BYTES } from './memory.ts';
export type { ModelLike, TrainingMemoryEstimate, TrainingMemoryOptions } from './memory.ts';
export { classify, compareGradients, computeGradients } from './train/index.ts';
export type {
  Classification,
  ClassifyInput,
  ClassifyOptions,
  ComputeGradientsOptions,
  RunInfo,
  TrainRun,
  WeightGradient,
} from './train/index.ts';
export {
  downloadModel,
  listSavedModels,
  loadModel,
  loadModelFromFiles,
  removeSavedModel,
  saveModel,
} from './train/index.ts';
export {
  checkResultsDefinition,
  compareCurves,
  defineExperiment,
  EXPERIMENT_BUDGET_NAMES,
  EXPERIMENT_NAMES,
  EXPERIMENT_RESULTS_FORMAT,
  EXPERIMENTS,
  experimentResultsToJSON,
  FASHION_MNIST_SUBSETS,
  getExperiment,
  loadExperimentData,
  pageBudgets,
  parseExperimentResults,
  REPLAY_TOLERANCE,
  replayRun,
  runExperiment,
  variantColors,
} from './experiments/index.ts';
export type {
  AnyExperiment,
  BudgetLike,
  Experiment,
  ExperimentBudget,
  ExperimentBudgetName,
  ExperimentDataOptions,
  ExperimentDescription,
  ExperimentName,
  ExperimentProgress,
  ExperimentResults,
  ExperimentRun,
  ExperimentSpec,
  RunEnvironment,
  VariantSpec,
} from './experiments/index.ts';
export { describeArchitecture } from './export/architecture.ts';
export { zipFiles } from './export/zip.ts';
export { exportExperiment, exportModel } from './export/lazy.ts';
export type {
  ExportedFile,
  ExportExperimentOptions,
  ExportModelOptions,
  LibraryVersion,
} from './export/index.ts';
