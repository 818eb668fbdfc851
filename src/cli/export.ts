// `reslab export pytorch`: writes a model or an experiment as a PyTorch package (model.py, blocks.py,
// weights.py, train.py, experiment.json, README.md; weights.safetensors on request) into a new folder,
// all at once: the files go to a temporary folder beside it, which is renamed into place at the end.
import * as tf from '@tensorflow/tfjs';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { exportExperiment, exportModel, type ExportedFile } from '../lib/export/package.ts';
import { EXPERIMENT_BUDGET_NAMES, getExperiment, toExperimentBudgetName } from '../lib/experiments/index.ts';
import { buildModel, getModelEntry } from '../lib/models/registry.ts';
import { MODEL_OPTIONS, parseModelOptions, parseOptions, UsageError } from './args.ts';
import { readLibraryVersion } from './libraryVersion.ts';

const USAGE = `usage:
  reslab export pytorch <model> --out DIR [--input H,W,C] [--classes K] [--width W] [--seed S]
                        [--variant key=value[,key=value]] [--weights] [--weights-from MODEL.json] [--force]
  reslab export pytorch --experiment <name> --out DIR [--budget B] [--force]

  Writes a Python package into DIR: model.py (build() returns the nn.Module), blocks.py, weights.py,
  train.py (torchrun-ready, writes results in the site's format), experiment.json (the recipe) and README.md.
  <model>          a name from reslab list; the architecture options are those of reslab trace
  --weights        also writes weights.safetensors: the model's weights at --seed, in PyTorch's layout
  --weights-from   the same, with the weights of a TF.js model saved by the page (its .json and .bin files)
  --experiment     one of the lessons' experiments (reslab experiment list): a class per variant
  --budget         ${EXPERIMENT_BUDGET_NAMES.join(', ')}: whose recipe train.py runs (default reference)
  --force          replaces DIR if it exists and is not empty`;

const OPTIONS = {
  out: { type: 'string' },
  ...MODEL_OPTIONS,
  weights: { type: 'boolean' },
  'weights-from': { type: 'string' },
  experiment: { type: 'string' },
  budget: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where `reslab export` writes its lines; tests pass fakes. */
export interface ExportCommandIo {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Folder relative paths are read from. Default `process.cwd()`. */
  cwd?: string;
}

/** Runs `reslab export …` (argv after `export`) and returns the exit code (0, 1 failure, 2 usage). */
export async function runExportCommand(args: readonly string[], io: ExportCommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    const [target, ...rest] = args;
    if (target === undefined || target === '--help' || target === '-h' || target === 'help') {
      stdout(USAGE);
      return target === undefined ? 2 : 0;
    }
    if (target !== 'pytorch')
      throw new UsageError(`invalid export target: ${JSON.stringify(target)} (expected pytorch)`);
    const { values, positionals } = parseOptions(rest, OPTIONS, true);
    if (values.help) {
      stdout(USAGE);
      return 0;
    }
    if (!values.out)
      throw new UsageError('invalid options: --out DIR is required (the folder to write the package into)');
    const out = resolve(io.cwd ?? process.cwd(), values.out);
    checkTarget(out, values.force ?? false);
    await tf.setBackend('cpu'); // building models is all the export does; no training
    const files = values.experiment
      ? await experimentFiles(values, positionals)
      : await modelFiles(values, positionals, io.cwd ?? process.cwd());
    writePackageAtomically(out, files, values.force ?? false);
    stdout(`wrote ${files.map((f) => f.path).join(', ')} to ${out}`);
    stdout(`next: cd ${values.out} && python3 train.py --help   (README.md shows torchrun on several GPUs)`);
    return 0;
  } catch (error) {
    stderr(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) stderr(USAGE);
    return error instanceof UsageError ? 2 : 1;
  }
}

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

async function experimentFiles(values: Values, positionals: string[]): Promise<ExportedFile[]> {
  const stray = [
    ...positionals,
    ...['input', 'classes', 'width', 'seed', 'variant', 'weights', 'weights-from']
      .filter((k) => values[k as keyof Values] !== undefined)
      .map((k) => `--${k}`),
  ];
  if (stray.length > 0) {
    throw new UsageError(
      `invalid options with --experiment: ${stray.join(' ')} (an experiment defines its own models; expected --budget, --out, --force)`,
    );
  }
  const experiment = getExperiment(values.experiment!);
  const budget = toExperimentBudgetName(values.budget ?? 'reference');
  const source = `reslab export pytorch --experiment ${experiment.name} --budget ${budget}`;
  return exportExperiment(experiment, { budget, source, library: readLibraryVersion() });
}

async function modelFiles(values: Values, positionals: string[], cwd: string): Promise<ExportedFile[]> {
  if (values.budget !== undefined)
    throw new UsageError(
      'invalid option: --budget belongs to --experiment (a model export uses the lessons’ reference recipe)',
    );
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) {
    throw new UsageError(
      `invalid model: ${JSON.stringify(positionals.join(' ') || undefined)} (expected one model name from reslab list, or --experiment <name>)`,
    );
  }
  const options = parseModelOptions(name, values);
  const model = buildModel(name, options);
  try {
    if (values['weights-from']) loadWeightsFrom(model, resolve(cwd, values['weights-from']));
    const given = (['input', 'classes', 'width', 'seed'] as const).filter((k) => values[k] !== undefined);
    const command = [
      `reslab export pytorch ${name}`,
      ...given.map((k) => `--${k} ${values[k]}`),
      ...(values.variant ?? []).map((v) => `--variant ${v}`),
    ].join(' ');
    return await exportModel(model, {
      name,
      weights: (values.weights ?? false) || values['weights-from'] !== undefined,
      source: command,
      description: getModelEntry(name).description,
      library: readLibraryVersion(),
      spec: { model: name, options: { ...options } },
    });
  } finally {
    model.dispose();
  }
}

/**
 * Sets a freshly built model's weights from a TF.js model saved by the page (`<name>.json` and its
 * `.bin` files, as `downloadModel` writes them), refusing files of another architecture by name.
 */
function loadWeightsFrom(model: tf.LayersModel, file: string): void {
  let manifest: { weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`invalid --weights-from ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(manifest.weightsManifest)) {
    throw new Error(
      `invalid --weights-from ${file}: no weightsManifest (expected a TF.js model.json, as the page downloads it)`,
    );
  }
  const saved: tf.NamedTensorMap = {};
  for (const group of manifest.weightsManifest) {
    const buffers = group.paths.map((p) => readFileSync(join(dirname(file), p)));
    const data = Buffer.concat(buffers);
    Object.assign(
      saved,
      tf.io.decodeWeights(
        data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
        group.weights,
      ),
    );
  }
  const wanted = model.weights.map((w) => w.originalName);
  const missing = wanted.filter((n) => !(n in saved));
  const unknown = Object.keys(saved).filter((n) => !wanted.includes(n));
  const wrong = model.weights
    .filter((w) => saved[w.originalName] && saved[w.originalName].shape.join() !== w.shape.join())
    .map((w) => `${w.originalName} is [${saved[w.originalName].shape}], the model's [${w.shape}]`);
  if (missing.length || unknown.length || wrong.length) {
    const list = (what: string, names: string[]) =>
      names.length ? [`${what} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ' …' : ''}`] : [];
    const problems = [...list('missing', missing), ...list('unknown', unknown), ...wrong.slice(0, 3)];
    tf.dispose(Object.values(saved));
    throw new Error(
      `invalid --weights-from ${file}: not the weights of ${model.name} as built from these options: ${problems.join('; ')}`,
    );
  }
  for (const w of model.weights) w.write(saved[w.originalName]);
  tf.dispose(Object.values(saved));
}

function checkTarget(out: string, force: boolean): void {
  if (existsSync(out) && readdirSync(out).length > 0 && !force) {
    throw new Error(
      `invalid --out: ${out} exists and is not empty (expected a new or empty folder, or --force to replace it)`,
    );
  }
}

// Writes into a fresh folder beside `out` and renames it into place: a failure leaves nothing behind.
function writePackageAtomically(out: string, files: readonly ExportedFile[], force: boolean): void {
  let staging: string;
  try {
    mkdirSync(dirname(out), { recursive: true });
    staging = mkdtempSync(join(dirname(out), `.${basename(out)}.partial-`));
  } catch (error) {
    throw new Error(
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (expected a folder you can write to)`,
      { cause: error },
    );
  }
  try {
    for (const file of files) writeFileSync(join(staging, file.path), file.content);
    if (existsSync(out)) {
      if (force) rmSync(out, { recursive: true, force: true });
      else rmdirSync(out); // empty, checked above
    }
    chmodSync(staging, 0o755); // mkdtemp's folder is private; the package is not
    renameSync(staging, out);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`cannot write ${out}: ${(error as Error).message}`, { cause: error });
  }
}
