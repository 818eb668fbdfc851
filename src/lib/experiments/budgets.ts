import { BUDGETS, type Budget, type BudgetName } from '../budget.ts';
import { FASHION_MNIST_SUBSETS } from './dataSubsets.ts';
import type { BudgetLike, ExperimentBudget, ExperimentBudgetName } from './types.ts';

/** Every experiment budget name, smallest first: the page's. */
export const EXPERIMENT_BUDGET_NAMES: readonly ExperimentBudgetName[] = Object.keys(BUDGETS) as BudgetName[];

/**
 * Returns an experiment's budgets, one per page budget: its epochs, images and batch, plus the model
 * sizes `pick` chooses from the page budget. `reference` (the committed results' budget) divides the
 * rate by 10 for its last epoch; `one-epoch` is its first epoch exactly (same rate, data order and
 * weights), so a one-epoch run retraces the first quarter of a reference curve. Curves keep every step
 * at `quick` (it has two), else every 10th.
 */
export function pageBudgets<M extends object>(
  pick: (page: Readonly<Budget>) => M,
): Record<BudgetName, ExperimentBudget & M> {
  const at = (name: BudgetName): ExperimentBudget & M => {
    const page = BUDGETS[name];
    const lesson = FASHION_MNIST_SUBSETS[page.subset];
    if (page.trainSize > lesson.train || page.testSize > lesson.test) {
      throw new Error(`budget ${name} asks for more images than the ${page.subset} subset has`);
    }
    return {
      epochs: page.epochs,
      trainSize: page.trainSize,
      testSize: page.testSize,
      batchSize: page.batchSize,
      subset: page.subset,
      ...(name === 'reference' ? { schedule: { kind: 'step' as const, epochs: [page.epochs - 1] } } : {}),
      curveEvery: name === 'quick' ? 1 : 10,
      ...pick(page),
    };
  };
  return { quick: at('quick'), 'one-epoch': at('one-epoch'), reference: at('reference') };
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
