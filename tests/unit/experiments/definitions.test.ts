import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS } from '../../../src/lib/budget.ts';
import {
  canonicalJson,
  defineExperiment,
  EXPERIMENT_BUDGET_NAMES,
  EXPERIMENT_NAMES,
  EXPERIMENTS,
  getExperiment,
  hashCanonical,
  pageBudgets,
} from '../../../src/lib/experiments/index.ts';
import { ACTIVATION_VARIANTS } from '../../../src/lib/models/activationVariants.ts';
import { SHORTCUT_VARIANTS } from '../../../src/lib/models/shortcuts.ts';
import { parseTrainOptions } from '../../../src/lib/train/trainOptions.ts';
import { root } from './helpers.ts';

beforeAll(() => {
  tf.env().set('PROD', true); // no tfjs-node advertisement
  return tf.setBackend('cpu');
});

describe('experiment definitions', () => {
  it('names one experiment per comparison of lessons 1–6, each with its lesson file', () => {
    expect(EXPERIMENT_NAMES).toEqual([
      'vgg-blocks',
      'plain-vs-residual',
      'basic-vs-bottleneck',
      'original-vs-preactivation',
      'shortcut-variants',
      'activation-variants',
    ]);
    for (const experiment of EXPERIMENTS) {
      expect(existsSync(join(root, 'content/lessons', `${experiment.lesson}.mdx`)), experiment.lesson).toBe(
        true,
      );
    }
  });

  it('finds an experiment by name, and names every valid one otherwise', () => {
    expect(getExperiment('shortcut-variants').title).toMatch(/six shortcuts/);
    expect(() => getExperiment('shortcuts')).toThrow(
      `invalid experiment: "shortcuts" (expected one of ${EXPERIMENT_NAMES.join(', ')})`,
    );
  });

  it('has every page budget, each following the page budget; one-epoch is the first epoch of reference', () => {
    for (const experiment of EXPERIMENTS) {
      expect(Object.keys(experiment.budgets).sort()).toEqual([...EXPERIMENT_BUDGET_NAMES].sort());
      for (const name of EXPERIMENT_BUDGET_NAMES) {
        const b = experiment.budget(BUDGETS[name]);
        const page = BUDGETS[name];
        expect(
          [b.epochs, b.batchSize, b.subset, b.trainSize, b.testSize],
          `${experiment.name} ${name}`,
        ).toEqual([page.epochs, page.batchSize, page.subset, page.trainSize, page.testSize]);
      }
      const { epochs: _e, schedule: _s, ...reference } = experiment.describe('reference').training;
      const { epochs, schedule, ...oneEpoch } = experiment.describe('one-epoch').training;
      expect([epochs, schedule]).toEqual([1, { kind: 'constant' }]);
      expect(oneEpoch).toEqual(reference);
      expect(experiment.describe('one-epoch').variants).toEqual(experiment.describe('reference').variants);
      expect(experiment.describe('one-epoch').data).toEqual(experiment.describe('reference').data);
      expect(experiment.describe('reference').training.schedule).toEqual({ kind: 'step', epochs: [3] });
      expect(experiment.seeds).toEqual([0, 1, 2]);
    }
    expect(() => getExperiment('vgg-blocks').budget('huge' as 'quick')).toThrow(
      'invalid budget: "huge" (expected one of quick, one-epoch, reference)',
    );
  });

  it('gives the lessons the variants they compare, under the names their charts look up', () => {
    const names = (name: string) =>
      getExperiment(name)
        .variants('quick')
        .map((v) => v.name);
    expect(names('vgg-blocks')).toEqual(['vgg11-small']);
    expect(names('plain-vs-residual')).toEqual(['plain-8', 'resnet-8', 'plain-14', 'resnet-14']);
    expect(
      getExperiment('plain-vs-residual')
        .variants('reference')
        .map((v) => v.name),
    ).toEqual(['plain-8', 'resnet-8', 'plain-20', 'resnet-20']);
    expect(names('basic-vs-bottleneck')).toEqual(['basic', 'bottleneck']);
    expect(names('original-vs-preactivation')).toEqual(['original', 'pre-activation']);
    expect(names('shortcut-variants')).toEqual([...SHORTCUT_VARIANTS]);
    expect(names('activation-variants')).toEqual([...ACTIVATION_VARIANTS]);
    expect(() => getExperiment('plain-vs-residual').variant('quick', 'plain-56')).toThrow(
      'invalid variant: "plain-56" (expected one of plain-8, resnet-8, plain-14, resnet-14)',
    );
  });

  it('builds every variant at the quick and reference budgets, seeded, with the input the data has', () => {
    for (const experiment of EXPERIMENTS) {
      const size = experiment.dataOptions('quick').imageSize ?? 28;
      for (const budget of ['quick', 'reference'] as const) {
        for (const variant of experiment.variants(budget)) {
          const a = variant.build(3);
          const b = variant.build(3);
          expect(a.inputs[0].shape, `${experiment.name}/${variant.name}`).toEqual([null, size, size, 1]);
          expect(a.outputs[0].shape).toEqual([null, 10]);
          const [wa, wb] = [a, b].map((m) => m.getWeights()[0].dataSync());
          expect(Array.from(wa)).toEqual(Array.from(wb));
          a.dispose();
          b.dispose();
        }
      }
    }
  });

  it('hands out valid train() and loadFashionMnist() options, as copies', () => {
    for (const experiment of EXPERIMENTS) {
      for (const budget of EXPERIMENT_BUDGET_NAMES) {
        const options = experiment.trainOptions(budget);
        expect(() => parseTrainOptions(options)).not.toThrow();
        expect(options.seed).toBe(experiment.seeds[0]);
        const data = experiment.dataOptions(budget);
        expect(data.trainSize).toBe(experiment.budget(budget).trainSize);
      }
    }
    const experiment = getExperiment('shortcut-variants');
    experiment.budget('reference').epochs = 99;
    experiment.variantSpecs('reference')[0].options.depth = 110;
    expect(experiment.budget('reference').epochs).not.toBe(99);
    expect(experiment.variantSpecs('reference')[0].options.depth).toBe(20);
  });
});

describe('definition hash', () => {
  it('is canonical JSON: key order does not matter, undefined members are left out', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }] })).toBe(
      '{"a":[true,null,{"d":"x"}],"b":1}',
    );
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite numbers only/);
  });

  it('is stable, differs by budget, and covers models, data, recipe and budget', async () => {
    const spec = {
      name: 'toy',
      title: 'toy',
      lesson: 'none',
      data: {},
      recipe: { learningRate: 0.05 },
      budgets: {
        ...pageBudgets(({ width }) => ({ width, depth: 8 })),
        reference: {
          epochs: 2,
          trainSize: 64,
          testSize: 32,
          batchSize: 16,
          subset: 'lesson' as 'lesson' | 'full',
          curveEvery: 2,
          width: 0.25,
          depth: 8,
        },
      },
      seeds: [0],
      variants: ({ depth, width }: { depth: number; width: number }) => [
        {
          name: 'a',
          model: 'cifarResNet' as const,
          options: { depth, width, inputShape: [28, 28, 1] as [number, number, number] },
        },
      ],
    };
    const hash = (s: typeof spec) => defineExperiment(s).definitionHash('reference');
    const base = await hash(spec);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const { variants, ...data } = spec;
    const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(data))).reverse());
    expect(await hash({ ...reordered, variants } as typeof spec)).toBe(base);
    expect(await defineExperiment(spec).definitionHash('quick')).not.toBe(base);
    const changed = [
      { ...spec, budgets: { ...spec.budgets, reference: { ...spec.budgets.reference, epochs: 3 } } },
      { ...spec, budgets: { ...spec.budgets, reference: { ...spec.budgets.reference, depth: 14 } } },
      {
        ...spec,
        budgets: {
          ...spec.budgets,
          reference: { ...spec.budgets.reference, subset: 'full' as 'lesson' | 'full' },
        },
      },
      { ...spec, budgets: { ...spec.budgets, reference: { ...spec.budgets.reference, curveEvery: 1 } } },
      { ...spec, recipe: { learningRate: 0.05, weightDecay: 1e-4 } },
      { ...spec, recipe: { learningRate: 0.05, augment: { flip: true } } },
      { ...spec, data: { normalize: 'standardize' as const } },
      { ...spec, variants: (b: { depth: number; width: number }) => [{ ...spec.variants(b)[0], name: 'b' }] },
    ];
    for (const s of changed) expect(await hash(s)).not.toBe(base);
    // The seeds choose which runs exist, not what a run gives: they are not in the hash.
    expect(await hash({ ...spec, seeds: [4, 5] })).toBe(base);
  });

  it('is what describe() hashes, for every experiment and budget', async () => {
    for (const experiment of EXPERIMENTS) {
      for (const budget of EXPERIMENT_BUDGET_NAMES) {
        expect(await experiment.definitionHash(budget)).toBe(
          await hashCanonical(experiment.describe(budget)),
        );
      }
    }
  });
});
