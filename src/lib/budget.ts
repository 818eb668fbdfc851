/** The name of a training budget, chosen on the page: it scales epochs and data sizes. */
export type BudgetName = 'quick' | 'standard' | 'full';

/** How much training a budget allows. */
export interface Budget {
  name: BudgetName;
  /** Passes over the training images. */
  epochs: number;
  /** Training images used (taken from the front of the shuffled, stratified subset). */
  trainSize: number;
  /** Test images used. */
  testSize: number;
  batchSize: number;
  /** Input side length the models see (Fashion-MNIST is 28×28). */
  imageSize: number;
  /** Which prepared Fashion-MNIST subset to load: `lesson` (10k/2k) or `full` (60k/10k). */
  subset: 'lesson' | 'full';
}

/**
 * The three budgets. `quick` runs in seconds even on the CPU backend (the tests and the browser suite
 * use it); `standard` is a lesson's default on a GPU (a few minutes for a small ResNet); `full` is the
 * whole dataset for readers with time and a GPU.
 */
export const BUDGETS: Readonly<Record<BudgetName, Readonly<Budget>>> = {
  quick: {
    name: 'quick',
    epochs: 1,
    trainSize: 1024,
    testSize: 512,
    batchSize: 64,
    imageSize: 28,
    subset: 'lesson',
  },
  standard: {
    name: 'standard',
    epochs: 5,
    trainSize: 10_000,
    testSize: 2000,
    batchSize: 128,
    imageSize: 28,
    subset: 'lesson',
  },
  full: {
    name: 'full',
    epochs: 20,
    trainSize: 60_000,
    testSize: 10_000,
    batchSize: 128,
    imageSize: 28,
    subset: 'full',
  },
};

/** Returns a budget by name; throws `invalid budget: … (expected one of quick, standard, full)`. */
export function getBudget(name: string): Budget {
  if (!Object.hasOwn(BUDGETS, name)) {
    throw new Error(
      `invalid budget: ${JSON.stringify(name)} (expected one of ${Object.keys(BUDGETS).join(', ')})`,
    );
  }
  return { ...BUDGETS[name as BudgetName] };
}
