import { BUDGETS, type Budget, type BudgetName } from '../budget.ts';
import { FASHION_MNIST_SUBSETS } from './dataSubsets.ts';
import type { BudgetLike, ExperimentBudget, ExperimentBudgetName } from './types.ts';

/** Every experiment budget name, smallest first. */
export const EXPERIMENT_BUDGET_NAMES: readonly ExperimentBudgetName[] = [
  'quick',
  'standard',
  'full',
  'reference',
];

/** Points per step curve at the page budgets: every step at `quick` (it has two), else every 10 steps. */
const CURVE_EVERY: Record<BudgetName, number> = { quick: 1, standard: 10, full: 10 };

/**
 * Returns an experiment's budgets for the page's three (quick, standard, full): the page's epochs,
 * images and batch, plus the model sizes `pick` chooses from the page budget. The site serves only the
 * lesson subset, so every page budget reads it, capped at its 10,000 / 2,000 images (what the lesson
 * cells have always loaded, `full` included).
 */
export function pageBudgets<M extends object>(
  pick: (page: Readonly<Budget>) => M,
): Record<BudgetName, ExperimentBudget & M> {
  const lesson = FASHION_MNIST_SUBSETS.lesson;
  const at = (name: BudgetName): ExperimentBudget & M => {
    const page = BUDGETS[name];
    return {
      epochs: page.epochs,
      trainSize: Math.min(page.trainSize, lesson.train),
      testSize: Math.min(page.testSize, lesson.test),
      batchSize: page.batchSize,
      subset: 'lesson',
      curveEvery: CURVE_EVERY[name],
      ...pick(page),
    };
  };
  return { quick: at('quick'), standard: at('standard'), full: at('full') };
}

/**
 * The reference budget every experiment shares, but for its model sizes: the 10,000 / 2,000-image
 * lesson subset, batch 64, `epochs` epochs with the rate ÷ 10 for the last, a step-curve point every
 * 10 steps. Sized so all six experiments, 3 seeds each, train in about 4 hours on a 2-core machine.
 */
export function referenceBudget(epochs = 4): ExperimentBudget {
  return {
    epochs,
    trainSize: 10_000,
    testSize: 2000,
    batchSize: 64,
    subset: 'lesson',
    schedule: { kind: 'step', epochs: [epochs - 1] },
    curveEvery: 10,
  };
}

/** Reads a budget name from a name or a budget object; throws `invalid budget: … (expected one of …)`. */
export function toExperimentBudgetName(budget: BudgetLike | string): ExperimentBudgetName {
  const name = typeof budget === 'string' ? budget : budget?.name;
  if (!(EXPERIMENT_BUDGET_NAMES as readonly unknown[]).includes(name)) {
    throw new Error(
      `invalid budget: ${JSON.stringify(name)} (expected one of ${EXPERIMENT_BUDGET_NAMES.join(', ')})`,
    );
  }
  return name as ExperimentBudgetName;
}
