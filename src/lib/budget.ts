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
  /** Channel multiplier for the lessons' models (`width` of `buildCifarResNet` and `buildVgg`). */
  width: number;
  /** Depth of the lessons' CIFAR-style ResNets (6n+2: 8 is one unit per stage, 20 is the paper's smallest). */
  depth: number;
}

/**
 * The three budgets. `quick` is a smoke test that still trains (two steps of 16 images per model): the
 * browser suite runs every lesson at it, which takes seconds on wasm. `standard` is a lesson's real
 * comparison (minutes for six width-0.5 ResNet-20s on a GPU); `full` is for readers with time and a
 * GPU. Each experiment's committed reference results use a budget of their own (src/lib/experiments).
 */
export const BUDGETS: Readonly<Record<BudgetName, Readonly<Budget>>> = {
  quick: {
    name: 'quick',
    epochs: 1,
    trainSize: 32,
    testSize: 32,
    batchSize: 16,
    imageSize: 28,
    subset: 'lesson',
    width: 0.25,
    depth: 8,
  },
  standard: {
    name: 'standard',
    epochs: 5,
    trainSize: 10_000,
    testSize: 2000,
    batchSize: 128,
    imageSize: 28,
    subset: 'lesson',
    width: 0.5,
    depth: 20,
  },
  full: {
    name: 'full',
    epochs: 20,
    trainSize: 60_000,
    testSize: 10_000,
    batchSize: 128,
    imageSize: 28,
    subset: 'full',
    width: 1,
    depth: 20,
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
