// The experiments the lessons run, each defined once; the cells, the CLI and the tests use these.
export { EXPERIMENT_BUDGET_NAMES, pageBudgets, toExperimentBudgetName } from './budgets.ts';
export { canonicalJson, hashCanonical } from './canonical.ts';
export { FASHION_MNIST_SUBSETS, subsetChecksum } from './dataSubsets.ts';
export type { DataSubset } from './dataSubsets.ts';
export { buildVariant, defineExperiment } from './defineExperiment.ts';
export type { Experiment, ExperimentDataOptions, ExperimentDescription } from './defineExperiment.ts';
export { createEtaEstimator } from './eta.ts';
export type { CurrentRun, EtaEstimator, PlannedRun } from './eta.ts';
export { loadExperimentData } from './loadExperimentData.ts';
export type { LoadExperimentDataOptions } from './loadExperimentData.ts';
export { EXPERIMENT_NAMES, EXPERIMENTS, getExperiment } from './registry.ts';
export type { AnyExperiment, ExperimentName, ExperimentOf } from './registry.ts';
export { compareCurves, REPLAY_TOLERANCE, replayRun } from './replay.ts';
export type { CurveMismatch, ReplayTolerance } from './replay.ts';
export {
  EXPERIMENT_RESULTS_FORMAT,
  experimentResultsSchema,
  experimentResultsToJSON,
  parseExperimentResults,
} from './resultsFile.ts';
export type {
  ExperimentEpoch,
  ExperimentResults,
  ExperimentRun,
  RunProvenance,
  StepCurve,
} from './resultsFile.ts';
export {
  checkResultsDefinition,
  createExperimentResults,
  ResultsMismatchError,
  runExperiment,
} from './runExperiment.ts';
export type {
  ExperimentProgress,
  RunEnvironment,
  RunExperimentOptions,
  RunExperimentResult,
} from './runExperiment.ts';
export { toExperimentRun, toStepCurve } from './runRecords.ts';
export type { RunIdentity } from './runRecords.ts';
export { seedMathRandom } from './seedMathRandom.ts';
export type {
  BudgetLike,
  ExperimentBudget,
  ExperimentBudgetName,
  ExperimentDataSpec,
  ExperimentRecipe,
  ExperimentSpec,
  VariantSpec,
} from './types.ts';
export { variantColors } from './colors.ts';
