import type { AugmentOptions } from '../data/augment.ts';
import type { CifarResNetOptions } from '../models/cifar.ts';
import type { VggOptions } from '../models/vgg.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import type { BudgetName } from '../budget.ts';
import type { Schedule } from '../train/schedules.ts';

/** The budgets an experiment defines: the page's three; its committed results use `reference`. */
export type ExperimentBudgetName = BudgetName;

/** A budget by name, or anything with a budget's name (the page's `budget` object is one). */
export type BudgetLike = ExperimentBudgetName | { name: ExperimentBudgetName };

/** How much an experiment trains at one budget; the model sizes (depth, width…) are the experiment's own fields. */
export interface ExperimentBudget {
  /** Passes over the training images. */
  epochs: number;
  /** Training images (the first ones of the shuffled, stratified subset). */
  trainSize: number;
  /** Test images, evaluated after every epoch. */
  testSize: number;
  batchSize: number;
  /** Prepared Fashion-MNIST subset: `lesson` (10,000 / 2,000 images) or `full` (60,000 / 10,000). */
  subset: 'lesson' | 'full';
  /** Learning-rate schedule. Default constant. */
  schedule?: Schedule;
  /** Steps per point of the recorded step curve (each point is the mean over those steps). */
  curveEvery: number;
}

/** A variant as data: the library builder that makes it and its options (the seed is added per run). */
export type VariantSpec =
  | { name: string; model: 'cifarResNet'; options: Omit<CifarResNetOptions, 'seed'> }
  | { name: string; model: 'vgg'; options: Omit<VggOptions, 'seed'> };

/** How the images reach the models. */
export interface ExperimentDataSpec {
  /** Side length the models see. Default 28 (Fashion-MNIST's own). */
  imageSize?: number;
  /** Pixel normalisation after scaling to [0, 1]. Default `none`. */
  normalize?: 'none' | 'standardize';
}

/** The training recipe, the same at every budget. */
export interface ExperimentRecipe {
  /** Default `sgd` (with momentum 0.9). */
  optimizer?: OptimizerName;
  learningRate: number;
  momentum?: number;
  /** L2 weight decay on conv and dense kernels. Default 0. */
  weightDecay?: number;
  /** Training-time augmentation. Default none. */
  augment?: AugmentOptions;
}

/** What {@link defineExperiment} takes: one comparison of a lesson, all of it plain data but `variants`. */
export interface ExperimentSpec<N extends string, M extends object> {
  /** Kebab-case name, as the command line and results files use it. */
  name: N;
  /** One line for people. */
  title: string;
  /** The lesson whose cells run it (its slug). */
  lesson: string;
  data: ExperimentDataSpec;
  recipe: ExperimentRecipe;
  /** Every budget, each with the experiment's model sizes `M` (inferred from the page budgets). */
  budgets: Record<ExperimentBudgetName, ExperimentBudget & M>;
  /** Seeds of the committed results (weights and data order); the lesson cells use the first. */
  seeds: readonly number[];
  /** The variants at a budget, in training order. */
  variants: (budget: ExperimentBudget & M) => VariantSpec[];
}
