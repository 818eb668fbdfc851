import type * as tf from '@tensorflow/tfjs';
import { BUDGETS } from '../budget.ts';
import { hashCanonical } from '../experiments/canonical.ts';
import type { Experiment, ExperimentDescription } from '../experiments/defineExperiment.ts';
import { buildVariant, describeSetting } from '../experiments/defineExperiment.ts';
import type { RunProvenance } from '../experiments/resultsFile.ts';
import type { BudgetLike } from '../experiments/types.ts';
import { describeArchitecture, type Architecture } from './architecture.ts';
import { PYTHON_SOURCES } from './pythonSources.ts';
import { modelClassSource, pythonClassName, usedNames } from './pythonModel.ts';
import { encodeSafetensors, exportStateDict } from './weights.ts';

/** One file of an exported package, by its path inside the package folder. */
export interface ExportedFile {
  path: string;
  content: string | Uint8Array;
}

/** Where the exported code came from: the library's version and commit, as results files record it. */
export type LibraryVersion = RunProvenance['library'];

/** Options of {@link exportModel}. */
export interface ExportModelOptions {
  /** The model's name as the registry or the reader knows it. Default: the TF.js model's name. */
  name?: string;
  /** Also writes the model's current weights (`weights.safetensors`). Default false. */
  weights?: boolean;
  /** The command or page that made the export, for the header of model.py. */
  source?: string;
  /** One line on what the model is, for its class docstring (e.g. the registry's description). */
  description?: string;
  library?: LibraryVersion;
  /** How the model was built, for experiment.json: e.g. `{ model: 'resnet50', options: { width: 0.5 } }`. Default: the TF.js model's name. */
  spec?: { model: string; options: Record<string, unknown> };
}

/** Options of {@link exportExperiment}. */
export interface ExportExperimentOptions {
  /** The budget whose recipe train.py runs. Default `reference`. */
  budget?: BudgetLike;
  source?: string;
  library?: LibraryVersion;
}

// Unknown provenance cannot vouch for a clean tree.
const UNKNOWN_LIBRARY: LibraryVersion = { version: 'unknown', commit: 'unknown', dirty: true };

interface NamedArchitecture {
  variant: string;
  className: string;
  architecture: Architecture;
  description: string;
}

function modelPy(models: NamedArchitecture[], header: string): string {
  const classes = models.map((m) => modelClassSource(m.className, m.architecture, m.description));
  const modes = [...new Set(models.map((m) => m.architecture.convMode))];
  const init = modes.length === 1 && modes[0] !== null ? modes[0] : null;
  const imports = [
    ...usedNames(classes.join('\n'), PYTHON_SOURCES['blocks.py']),
    ...(init ? ['init_weights'] : []),
  ];
  const uses = (name: string) => classes.some((c) => c.includes(name));
  const lines = [
    `"""${header}`,
    '',
    'Every module and parameter is named after the TF.js layer it computes: conv3_1/conv2 → conv3_1.conv2.',
    'Shapes are [batch, channels, height, width]. build() returns a fresh model initialised as the library',
    'initialises it; weights.load_weights(model, "weights.safetensors") loads exported weights instead.',
    '"""',
    '',
    ...(uses('OrderedDict(') ? ['from collections import OrderedDict', ''] : []),
    'from torch import nn',
    '',
    ...(imports.length ? [`from blocks import ${imports.join(', ')}`, ''] : []),
    '',
    classes.join('\n\n\n'),
    '',
    '',
    `VARIANTS = {${models.map((m) => `${JSON.stringify(m.variant)}: ${m.className}`).join(', ')}}`,
    '',
    '',
    'def build(variant=None):',
    `    """Returns a freshly initialised model: the variant named (one of VARIANTS), or the first."""`,
    '    if variant is None:',
    '        variant = next(iter(VARIANTS))',
    '    if variant not in VARIANTS:',
    `        raise ValueError(f"invalid variant: {variant!r} (expected one of {', '.join(VARIANTS)})")`,
    init === null
      ? "    return VARIANTS[variant]()  # PyTorch's default initialisation (the TF.js model used its own)"
      : `    return init_weights(VARIANTS[variant](), conv_mode=${JSON.stringify(init)})`,
    '',
  ];
  return lines.join('\n');
}

function readme(title: string, hasWeights: boolean, variants: string[]): string {
  return [
    `# ${title}`,
    '',
    'Exported from ResLab. Needs Python 3.9+ and PyTorch 1.13+, nothing else.',
    '',
    '```python',
    'import torch, model',
    `net = model.build(${variants.length > 1 ? JSON.stringify(variants[0]) : ''})`,
    ...(hasWeights
      ? ['import weights', 'weights.load_weights(net, "weights.safetensors")  # the TF.js weights']
      : []),
    'net.eval()',
    'logits = net(torch.zeros(1, *net.input_shape))',
    '```',
    '',
    'Train it with the recipe in experiment.json on Fashion-MNIST (the shards the site serves under',
    '`data/fashion-mnist/`, or `npx reslab data prepare --out data/fashion-mnist` in a ResLab checkout):',
    '',
    '```sh',
    'python3 train.py --data data/fashion-mnist                    # one process (GPU if there is one)',
    'torchrun --nproc_per_node=8 train.py --data data/fashion-mnist  # 8 GPUs, one machine',
    '```',
    '',
    'Two machines: run on each `torchrun --nnodes=2 --node_rank=R --nproc_per_node=8 --master_addr=HOST',
    '--master_port=29500 train.py …` with R = 0 and 1. Results go to `results/<experiment>.json` in the',
    "site's results format; an interrupted run resumes from its last epoch. `python3 train.py --help` lists the flags.",
    '',
  ].join('\n');
}

function pythonFiles(): ExportedFile[] {
  return Object.entries(PYTHON_SOURCES).map(([path, content]) => ({ path, content }));
}

/** The recipe train.py runs for a single model: the lessons' reference setting (4 epochs of batch 64, SGD 0.05 with momentum 0.9, the rate ÷ 10 for the last epoch, 10,000 / 2,000 Fashion-MNIST images). */
function singleModelDefinition(
  name: string,
  architecture: Architecture,
  spec: { model: string; options: Record<string, unknown> },
): ExportDefinition {
  const b = BUDGETS.reference;
  const [h, w] = architecture.inputShape;
  const setting = describeSetting(
    b,
    { imageSize: h === w ? h : b.imageSize },
    {
      epochs: b.epochs,
      batchSize: b.batchSize,
      optimizer: 'sgd',
      learningRate: 0.05,
      schedule: { kind: 'step', epochs: [b.epochs - 1] },
    },
  );
  return {
    experiment: name,
    budget: 'reference',
    ...setting,
    curveEvery: 10,
    variants: [{ name, model: spec.model, options: spec.options }],
  };
}

/** What train.py trains: an experiment's description, or one model's, whose variant names how it was built. */
type ExportDefinition = Omit<ExperimentDescription, 'variants'> & {
  variants: { name: string; model: string; options: Record<string, unknown> }[];
};

async function experimentJson(
  definition: ExportDefinition,
  seeds: readonly number[],
  library: LibraryVersion,
): Promise<ExportedFile> {
  const content = {
    format: 'reslab-pytorch-export',
    version: 1,
    experiment: definition.experiment,
    budget: definition.budget,
    definitionHash: await hashCanonical(definition),
    definition,
    seeds: [...seeds],
    library,
  };
  return { path: 'experiment.json', content: `${JSON.stringify(content, null, 2)}\n` };
}

/**
 * Exports one TF.js model as a PyTorch package: model.py (one class, `build()`), the hand-written
 * blocks.py and weights.py, train.py with the lessons' reference recipe, and optionally the model's
 * current weights in PyTorch's layout.
 */
export async function exportModel(
  model: tf.LayersModel,
  options: ExportModelOptions = {},
): Promise<ExportedFile[]> {
  const name = options.name ?? model.name;
  const architecture = describeArchitecture(model);
  const className = pythonClassName(name);
  const header = `${name} in PyTorch, exported from ResLab${options.source ? ` (${options.source})` : ''}.`;
  const description = `${options.description ?? name}: the TF.js model ${JSON.stringify(model.name)}, module for module.`;
  const files: ExportedFile[] = [
    { path: 'model.py', content: modelPy([{ variant: name, className, architecture, description }], header) },
    ...pythonFiles(),
    await experimentJson(
      singleModelDefinition(
        name,
        architecture,
        options.spec ?? { model: 'tfjs', options: { name: model.name } },
      ),
      [0],
      options.library ?? UNKNOWN_LIBRARY,
    ),
    { path: 'README.md', content: readme(name, options.weights ?? false, [name]) },
  ];
  if (options.weights) {
    const state = await exportStateDict(model, architecture);
    const metadata = { model: name, format: 'pt', source: 'ResLab (TF.js)' };
    files.push({ path: 'weights.safetensors', content: encodeSafetensors(state, metadata) });
  }
  return files;
}

/**
 * Exports an experiment as a PyTorch package: model.py with one class per variant (built from the
 * experiment's own definitions), train.py and experiment.json with its recipe at the budget, so that
 * `torchrun … train.py` writes a results file in the format of `reslab experiment run`.
 */
export async function exportExperiment(
  experiment: Experiment,
  options: ExportExperimentOptions = {},
): Promise<ExportedFile[]> {
  const budget = options.budget ?? 'reference';
  const definition = experiment.describe(budget);
  const models = experiment.variantSpecs(budget).map((spec) => {
    const model = buildVariant(spec, experiment.seeds[0]);
    try {
      return {
        variant: spec.name,
        className: pythonClassName(spec.name),
        architecture: describeArchitecture(model),
        description: `Variant ${JSON.stringify(spec.name)} of the experiment ${experiment.name}: ${spec.model} with ${JSON.stringify(spec.options)}.`,
      };
    } finally {
      model.dispose();
    }
  });
  const header = `${experiment.title}: the networks of the experiment ${experiment.name} in PyTorch, exported from ResLab${options.source ? ` (${options.source})` : ''}.`;
  return [
    { path: 'model.py', content: modelPy(models, header) },
    ...pythonFiles(),
    await experimentJson(definition, experiment.seeds, options.library ?? UNKNOWN_LIBRARY),
    {
      path: 'README.md',
      content: readme(
        experiment.title,
        false,
        models.map((m) => m.variant),
      ),
    },
  ];
}
