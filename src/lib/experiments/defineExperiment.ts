import type { LoadFashionMnistOptions } from '../data/fashionMnist.ts';
import { buildCifarResNet } from '../models/cifar.ts';
import { buildVgg } from '../models/vgg.ts';
import type { Variant } from '../train/compare.ts';
import { parseTrainOptions, type TrainOptions } from '../train/trainOptions.ts';
import { toExperimentBudgetName } from './budgets.ts';
import { hashCanonical } from './canonical.ts';
import { FASHION_MNIST_SUBSETS } from './dataSubsets.ts';
import type {
  BudgetLike,
  ExperimentBudget,
  ExperimentBudgetName,
  ExperimentDataSpec,
  ExperimentSpec,
  VariantSpec,
} from './types.ts';

/** What `loadFashionMnist` needs besides `baseUrl` to load an experiment's images. */
export type ExperimentDataOptions = Pick<
  LoadFashionMnistOptions,
  'subset' | 'trainSize' | 'testSize' | 'imageSize' | 'normalize'
>;

/** Everything that determines an experiment's results at one budget, as plain data: what its hash covers. */
export interface ExperimentDescription {
  experiment: string;
  budget: ExperimentBudgetName;
  data: {
    dataset: 'fashion-mnist';
    subset: 'lesson' | 'full';
    checksum: string;
    trainSize: number;
    testSize: number;
    imageSize: number;
    normalize: 'none' | 'standardize';
  };
  /** The training options with every default filled in (a changed default changes the hash). */
  training: Record<string, unknown>;
  curveEvery: number;
  variants: VariantSpec[];
}

/** One comparison of a lesson, defined once: what the lesson cell, the command line and the tests use. */
export interface Experiment<N extends string = string, M extends object = object> {
  readonly name: N;
  readonly title: string;
  readonly lesson: string;
  /** Seeds of the committed results; the lesson cells use the first. */
  readonly seeds: readonly number[];
  /** Every budget's settings (a copy). */
  readonly budgets: Readonly<Record<ExperimentBudgetName, Readonly<ExperimentBudget & M>>>;
  /** Returns the experiment's settings at a budget (the page's `budget` or a name): images, epochs, model sizes. */
  budget(budget: BudgetLike): ExperimentBudget & M;
  /** Returns the variants at a budget as data: builder name and options. */
  variantSpecs(budget: BudgetLike): VariantSpec[];
  /** Returns the variants at a budget as `compare()` takes them: a name and a builder of the weight seed. */
  variants(budget: BudgetLike): Variant[];
  /** Returns one variant at a budget by name; throws `invalid variant: … (expected one of …)`. */
  variant(budget: BudgetLike, name: string): Variant;
  /** Returns the options of `compare()` or `train()` at a budget (recipe, epochs, batch, the first seed). */
  trainOptions(budget: BudgetLike): TrainOptions;
  /** Returns the options of `loadFashionMnist()` at a budget, all but `baseUrl`. */
  dataOptions(budget: BudgetLike): ExperimentDataOptions;
  /** Returns everything that determines the results at a budget, as plain data. */
  describe(budget: BudgetLike): ExperimentDescription;
  /** Returns the SHA-256 of the canonical JSON of {@link describe}: the definition hash results files carry. */
  definitionHash(budget: BudgetLike): Promise<string>;
}

/** Builds a variant's model from its spec and the run's seed. */
export function buildVariant(spec: VariantSpec, seed: number) {
  return spec.model === 'vgg'
    ? buildVgg({ ...spec.options, seed })
    : buildCifarResNet({ ...spec.options, seed });
}

/**
 * Describes the data and training of a run as plain data, every default filled in: the part of an
 * {@link ExperimentDescription} that says what is trained on and how.
 */
export function describeSetting(
  images: Pick<ExperimentBudget, 'subset' | 'trainSize' | 'testSize'>,
  data: ExperimentDataSpec,
  options: Omit<TrainOptions, 'seed'>,
): Pick<ExperimentDescription, 'data' | 'training'> {
  const parsed = parseTrainOptions(options);
  return {
    data: {
      dataset: 'fashion-mnist',
      subset: images.subset,
      checksum: FASHION_MNIST_SUBSETS[images.subset].checksum,
      trainSize: images.trainSize,
      testSize: images.testSize,
      imageSize: data.imageSize ?? 28,
      normalize: data.normalize ?? 'none',
    },
    training: {
      epochs: parsed.epochs,
      batchSize: parsed.batchSize,
      optimizer: parsed.optimizer,
      learningRate: parsed.learningRate,
      momentum: parsed.momentum,
      nesterov: parsed.nesterov,
      weightDecay: parsed.weightDecay,
      schedule: parsed.schedule,
      augment: parsed.augment ?? null,
    },
  };
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Turns an experiment's spec into an {@link Experiment}. Everything handed out is a copy, so a cell
 * that edits what it got cannot change the definition.
 */
export function defineExperiment<const N extends string, M extends object>(
  spec: ExperimentSpec<N, M>,
): Experiment<N, M> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(spec.name)) {
    throw new Error(`invalid experiment name: ${JSON.stringify(spec.name)} (expected kebab-case)`);
  }
  if (spec.seeds.length === 0) throw new Error(`invalid seeds of ${spec.name}: [] (expected at least one)`);
  const settings = (budget: BudgetLike): ExperimentBudget & M =>
    copy(spec.budgets[toExperimentBudgetName(budget)]);
  const variantSpecs = (budget: BudgetLike): VariantSpec[] => {
    const specs = spec.variants(settings(budget));
    const names = specs.map((v) => v.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined)
      throw new Error(`invalid variants of ${spec.name}: ${JSON.stringify(twice)} twice`);
    return copy(specs);
  };
  const variants = (budget: BudgetLike): Variant[] =>
    variantSpecs(budget).map((v) => ({ name: v.name, build: (seed: number) => buildVariant(v, seed) }));
  const trainOptions = (budget: BudgetLike): TrainOptions => {
    const b = settings(budget);
    const r = spec.recipe;
    return {
      epochs: b.epochs,
      batchSize: b.batchSize,
      optimizer: r.optimizer ?? 'sgd',
      learningRate: r.learningRate,
      ...(r.momentum !== undefined ? { momentum: r.momentum } : {}),
      weightDecay: r.weightDecay ?? 0,
      ...(b.schedule ? { schedule: b.schedule } : {}),
      ...(r.augment ? { augment: copy(r.augment) } : {}),
      seed: spec.seeds[0],
    };
  };
  const dataOptions = (budget: BudgetLike): ExperimentDataOptions => {
    const b = settings(budget);
    return {
      subset: b.subset,
      trainSize: b.trainSize,
      testSize: b.testSize,
      ...(spec.data.imageSize !== undefined ? { imageSize: spec.data.imageSize } : {}),
      normalize: spec.data.normalize ?? 'none',
    };
  };
  const describe = (budget: BudgetLike): ExperimentDescription => {
    const name = toExperimentBudgetName(budget);
    const b = settings(name);
    const { seed: _seed, ...options } = trainOptions(name);
    return {
      experiment: spec.name,
      budget: name,
      ...describeSetting(b, spec.data, options),
      curveEvery: b.curveEvery,
      variants: variantSpecs(name),
    };
  };
  return {
    name: spec.name,
    title: spec.title,
    lesson: spec.lesson,
    seeds: [...spec.seeds],
    get budgets() {
      return copy(spec.budgets);
    },
    budget: settings,
    variantSpecs,
    variants,
    variant(budget, name) {
      const all = variants(budget);
      const found = all.find((v) => v.name === name);
      if (!found) {
        const names = all.map((v) => v.name).join(', ');
        throw new Error(`invalid variant: ${JSON.stringify(name)} (expected one of ${names})`);
      }
      return found;
    },
    trainOptions,
    dataOptions,
    describe,
    definitionHash: (budget) => hashCanonical(describe(budget)),
  };
}
