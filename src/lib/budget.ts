/**
 * The name of a training budget, chosen on the page: `quick` checks that the code runs, `one-epoch` and
 * `reference` train what the lesson's committed reference results trained (the first epoch of it, or
 * all of it), with the reference's first seed.
 */
export type BudgetName = 'quick' | 'one-epoch' | 'reference';

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

/** The setting of the committed reference results, shared by every experiment but for its model sizes. */
const referenceSetting = {
  trainSize: 10_000,
  testSize: 2000,
  batchSize: 64,
  imageSize: 28,
  subset: 'lesson',
  width: 0.25,
  depth: 20,
} as const;

/**
 * The page's budgets, smallest first. `quick` is a smoke test that still trains (two steps of 16 images
 * per model): seconds on any backend, and its numbers are noise. `reference` is the setting of the
 * lesson's reference results (src/lib/experiments: 10,000 / 2,000 images, 4 epochs of batch 64, the
 * rate ÷ 10 for the last), so a reader's run lands among the reference's seeds; `one-epoch` is its
 * first epoch, which retraces the first quarter of the reference's curve. Each experiment maps these
 * to its model sizes.
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
  'one-epoch': { name: 'one-epoch', epochs: 1, ...referenceSetting },
  reference: { name: 'reference', epochs: 4, ...referenceSetting },
};

/** Returns a budget by name; throws `invalid budget: … (expected one of quick, one-epoch, reference)`. */
export function getBudget(name: string): Budget {
  if (!Object.hasOwn(BUDGETS, name)) {
    throw new Error(
      `invalid budget: ${JSON.stringify(name)} (expected one of ${Object.keys(BUDGETS).join(', ')})`,
    );
  }
  return { ...BUDGETS[name as BudgetName] };
}
