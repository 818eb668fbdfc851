export { classify, type Classification, type ClassifyInput, type ClassifyOptions } from './classify.ts';
export { compare, type CompareOptions, type Variant } from './compare.ts';
export { evaluate, type EvaluateOptions } from './evaluate.ts';
export {
  compareGradients,
  computeGradients,
  type ComputeGradientsOptions,
  type WeightGradient,
} from './gradients.ts';
export { countClasses, countCorrect, outputKind, sumCrossEntropy, type OutputKind } from './losses.ts';
export {
  addWeightDecay,
  createOptimizer,
  disposeOptimizer,
  isDecayedWeight,
  setLearningRate,
  type OptimizerName,
  type OptimizerSettings,
} from './optimizers.ts';
export {
  createRunResult,
  createRunResults,
  parseResults,
  RESULTS_FORMAT,
  resultsToCSV,
  resultsToJSON,
  type RunConfig,
  type RunResult,
  type RunResultEffects,
} from './results.ts';
export {
  createIndexedDbResultsStore,
  createMemoryResultsStore,
  openResultsStore,
  type ResultsStore,
} from './resultsStore.ts';
export {
  downloadModel,
  listSavedModels,
  loadModel,
  loadModelFromFiles,
  removeSavedModel,
  SAVED_MODEL_PREFIX,
  saveModel,
} from './savedModels.ts';
export { keepRecords } from './keepRecords.ts';
export { learningRateAt, scheduleSchema, type Schedule, type ScheduleTime } from './schedules.ts';
export { train } from './train.ts';
export {
  parseTrainOptions,
  trainOptionsSchema,
  type BatchInfo,
  type ParsedTrainOptions,
  type TrainOptions,
} from './trainOptions.ts';
export type {
  DoneRecord,
  EpochRecord,
  RunInfo,
  StepRecord,
  TrainData,
  TrainRecord,
  TrainRun,
} from './types.ts';
export { yieldToEventLoop } from './yieldToEventLoop.ts';
