export { compare, type CompareOptions, type Variant } from './compare.ts';
export { evaluate, type EvaluateOptions } from './evaluate.ts';
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
export { learningRateAt, scheduleSchema, type Schedule, type ScheduleTime } from './schedules.ts';
export { train } from './train.ts';
export {
  parseTrainOptions,
  trainOptionsSchema,
  type BatchInfo,
  type ParsedTrainOptions,
  type TrainOptions,
} from './trainOptions.ts';
export type { DoneRecord, EpochRecord, StepRecord, TrainData, TrainRecord } from './types.ts';
export { yieldToEventLoop } from './yieldToEventLoop.ts';
