import { z } from 'zod';
import type { ExperimentDescription } from './defineExperiment.ts';
import { EXPERIMENT_BUDGET_NAMES } from './budgets.ts';
import type { ExperimentBudgetName } from './types.ts';

/** The format marker of an experiment's results file (`content/results/<experiment>.json`). */
export const EXPERIMENT_RESULTS_FORMAT = 'reslab-experiment-results';

/** After each epoch: training means over the epoch and the test split's loss and error (1 − accuracy). */
export interface ExperimentEpoch {
  epoch: number;
  /** Steps done by the end of the epoch. */
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testError: number;
  /** Time since the run started (training and evaluation). */
  elapsedMs: number;
}

/** The step curve: point i is the mean over steps i·every + 1 … (i + 1)·every (partial windows are left out). */
export interface StepCurve {
  every: number;
  loss: number[];
  accuracy: number[];
}

/** Where and how a run was trained. */
export interface RunProvenance {
  /** The library's package version, git commit, and whether the tree had uncommitted changes. */
  library: { version: string; commit: string; dirty: boolean };
  backend: { name: string; simd?: boolean; threads: number };
  cpu: { model: string; cores: number };
  /** e.g. `node v24.21.0`. */
  runtime: string;
  /** When the run started (ISO 8601). */
  date: string;
  /** Wall time of the run: building, training and evaluating. */
  wallTimeMs: number;
}

/** One finished run: one variant at one seed. */
export interface ExperimentRun {
  variant: string;
  seed: number;
  /** The model's name. */
  model: string;
  /** `diverged` runs are results too (the papers' "fail"). */
  status: 'completed' | 'diverged';
  message?: string;
  epochs: ExperimentEpoch[];
  curve: StepCurve;
  final: {
    trainLoss: number;
    trainAccuracy: number;
    testLoss: number;
    testError: number;
    /** The epoch with the lowest test error. */
    best?: { epoch: number; testError: number };
  };
  provenance: RunProvenance;
}

/** An experiment's results file: its definition, the definition's hash, and every finished run. */
export interface ExperimentResults {
  format: typeof EXPERIMENT_RESULTS_FORMAT;
  version: 1;
  experiment: string;
  budget: ExperimentBudgetName;
  /** {@link Experiment.definitionHash} of the definition the runs were trained with. */
  definitionHash: string;
  /** That definition, for readers: data subset and checksum, recipe, budget, variants. */
  definition: ExperimentDescription;
  /** Seeds of the runs, ascending. */
  seeds: number[];
  /** Runs by seed, then in the experiment's variant order. */
  runs: ExperimentRun[];
}

// JSON has no NaN: a diverged run's losses are written as null and read back as NaN.
const metric = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const count = z.number().int().nonnegative();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'a SHA-256 hex digest' });

const epochSchema = z.strictObject({
  epoch: count,
  step: count,
  trainLoss: metric,
  trainAccuracy: metric,
  testLoss: metric,
  testError: metric,
  elapsedMs: z.number().nonnegative(),
});

const curveSchema = z
  .strictObject({ every: count.min(1), loss: z.array(metric), accuracy: z.array(metric) })
  .refine((c) => c.loss.length === c.accuracy.length, {
    error: 'as many accuracy points as loss points',
    path: ['accuracy'],
  });

const provenanceSchema = z.strictObject({
  library: z.strictObject({ version: z.string().min(1), commit: z.string().min(1), dirty: z.boolean() }),
  backend: z.strictObject({ name: z.string().min(1), simd: z.boolean().optional(), threads: count.min(1) }),
  cpu: z.strictObject({ model: z.string(), cores: count.min(1) }),
  runtime: z.string().min(1),
  date: z.iso.datetime({ error: 'an ISO 8601 date-time' }),
  wallTimeMs: z.number().nonnegative(),
});

const runSchema = z.strictObject({
  variant: z.string().min(1),
  seed: count,
  model: z.string().min(1),
  status: z.enum(['completed', 'diverged']),
  message: z.string().optional(),
  epochs: z.array(epochSchema),
  curve: curveSchema,
  final: z.strictObject({
    trainLoss: metric,
    trainAccuracy: metric,
    testLoss: metric,
    testError: metric,
    best: z.strictObject({ epoch: count, testError: metric }).optional(),
  }),
  provenance: provenanceSchema,
});

// Loose, so that a file's definition reads back exactly and can be checked against its hash.
const definitionSchema = z.looseObject({
  experiment: z.string(),
  budget: z.enum(EXPERIMENT_BUDGET_NAMES as [ExperimentBudgetName, ...ExperimentBudgetName[]]),
  data: z.looseObject({
    dataset: z.literal('fashion-mnist'),
    subset: z.enum(['lesson', 'full']),
    checksum: hex64,
    trainSize: count,
    testSize: count,
    imageSize: count,
    normalize: z.enum(['none', 'standardize']),
  }),
  training: z.record(z.string(), z.unknown()),
  curveEvery: count.min(1),
  variants: z.array(
    z.looseObject({
      name: z.string(),
      // An experiment's builder (cifarResNet, vgg), or how a single exported model was built.
      model: z.string().min(1),
      options: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** The zod schema of an {@link ExperimentResults} file. */
export const experimentResultsSchema = z
  .strictObject({
    format: z.literal(EXPERIMENT_RESULTS_FORMAT),
    version: z.literal(1),
    experiment: z.string().min(1),
    budget: z.enum(EXPERIMENT_BUDGET_NAMES as [ExperimentBudgetName, ...ExperimentBudgetName[]]),
    definitionHash: hex64,
    definition: definitionSchema,
    seeds: z.array(count),
    runs: z.array(runSchema),
  })
  .superRefine((file, context) => {
    if (file.definition.experiment !== file.experiment || file.definition.budget !== file.budget) {
      context.addIssue({ code: 'custom', path: ['definition'], message: 'the file’s experiment and budget' });
    }
    const keys = file.runs.map((r) => `${r.variant}@${r.seed}`);
    const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (twice >= 0) {
      context.addIssue({ code: 'custom', path: ['runs', twice], message: 'one run per variant and seed' });
    }
    const seeds = [...new Set(file.runs.map((r) => r.seed))].sort((a, b) => a - b);
    if (seeds.join() !== file.seeds.join()) {
      context.addIssue({
        code: 'custom',
        path: ['seeds'],
        message: `the runs' seeds, ascending: [${seeds}]`,
      });
    }
  });

/**
 * Reads an experiment's results file (text or parsed JSON), validating every field; a bad file is
 * rejected with `invalid results file <file>: <field>: <problem>`.
 */
export function parseExperimentResults(input: string | unknown, file = '(results)'): ExperimentResults {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new Error(`invalid results file ${file}: not JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  const result = experimentResultsSchema.safeParse(value);
  if (result.success) return result.data as ExperimentResults;
  const issue = result.error.issues[0];
  const where = issue.path.map(String).join('.') || '(root)';
  const expected = issue.code === 'custom' ? `expected ${issue.message}` : issue.message;
  throw new Error(`invalid results file ${file}: ${where}: ${expected}`);
}

/**
 * Serialises results as the committed JSON, laid out as Prettier lays out JSON (so `prettier --check`
 * passes and a reformat changes nothing): objects one member per line, lists of numbers filled up to
 * 110 columns, other lists one item per line unless they fit on one.
 */
export function experimentResultsToJSON(results: ExperimentResults): string {
  return `${formatJson(results, '', '')}\n`;
}

const PRINT_WIDTH = 110;

// `suffix` is what follows the value on its line (a comma), which Prettier counts when deciding to break.
function formatJson(value: unknown, indent: string, suffix: string, column = indent.length): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    const items = value.map((v, i) => formatJson(v, inner, i < value.length - 1 ? ',' : ''));
    const flat = `[${items.join(', ')}]`;
    const isFlat = items.every((item) => !item.includes('\n'));
    if (isFlat && column + flat.length + suffix.length <= PRINT_WIDTH) return flat;
    if (value.length > 1 && value.every((v) => typeof v === 'number')) {
      // Prettier's fill: the next number (with its comma) joins the line while the line stays in width.
      const lines = [inner];
      items.forEach((item, i) => {
        const text = `${item}${i < items.length - 1 ? ',' : ''}`;
        const line = lines[lines.length - 1];
        if (line === inner) lines[lines.length - 1] = `${inner}${text}`;
        else if (line.length + 1 + text.length <= PRINT_WIDTH) lines[lines.length - 1] = `${line} ${text}`;
        else lines.push(`${inner}${text}`);
      });
      return `[\n${lines.join('\n')}\n${indent}]`;
    }
    return `[\n${items.map((item, i) => `${inner}${item}${i < items.length - 1 ? ',' : ''}`).join('\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const members = entries.map(([key, v], i) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      const comma = i < entries.length - 1 ? ',' : '';
      return `${head}${formatJson(v, inner, comma, head.length)}${comma}`;
    });
    return `{\n${members.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(typeof value === 'number' && !Number.isFinite(value) ? null : value);
}
