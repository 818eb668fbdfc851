import { z } from 'zod';
import type { DoneRecord, EpochRecord, StepRecord, TrainRecord } from './types.ts';

/** What a run was: enough to tell runs apart in a table and to re-run one. */
export interface RunConfig {
  /** Model name, e.g. `resnet20`. */
  model: string;
  /** Variant name within a comparison, e.g. `preact`. */
  variant?: string;
  /** The lesson the run belongs to (the results store groups by it). */
  lesson?: string;
  seed: number;
  /** Budget name: quick, standard or full. */
  budget: string;
  /** TF.js backend, e.g. webgpu. */
  backend: string;
  /** Device description, passed in by the page (e.g. the WebGPU adapter's description). */
  device: string;
  /** Training options worth keeping (plain JSON values). */
  options?: Record<string, unknown>;
}

/** One run: configuration, curves, and final figures. */
export interface RunResult {
  id: string;
  /** ISO 8601 time the run was recorded. */
  createdAt: string;
  config: RunConfig;
  steps: StepRecord[];
  epochs: EpochRecord[];
  final: {
    reason: DoneRecord['reason'];
    message?: string;
    elapsedMs: number;
    trainLoss?: number;
    trainAccuracy?: number;
    testLoss?: number;
    testAccuracy?: number;
    best?: { epoch: number; testAccuracy: number };
  };
}

/** Effects of {@link createRunResult}. */
export interface RunResultEffects {
  /** Returns the current time. Default `() => new Date()`. */
  now?: () => Date;
  /** Returns a fresh id. Default `crypto.randomUUID`. */
  createId?: () => string;
}

/**
 * Builds a run's result from its configuration and the records `train()` yielded (records of other
 * variants are ignored when `config.variant` is set). A run without a `done` record counts as aborted.
 */
export function createRunResult(
  config: RunConfig,
  records: readonly TrainRecord[],
  effects: RunResultEffects = {},
): RunResult {
  const mine = records.filter((r) => config.variant === undefined || r.variant === config.variant);
  const steps = mine.filter((r): r is StepRecord => r.kind === 'step');
  const epochs = mine.filter((r): r is EpochRecord => r.kind === 'epoch');
  const done = mine.find((r): r is DoneRecord => r.kind === 'done');
  const last = epochs[epochs.length - 1];
  const lastElapsed = mine.length > 0 ? mine[mine.length - 1].elapsedMs : 0;
  return {
    id: (effects.createId ?? (() => globalThis.crypto.randomUUID()))(),
    createdAt: (effects.now ?? (() => new Date()))().toISOString(),
    config,
    steps,
    epochs,
    final: {
      reason: done?.reason ?? 'aborted',
      ...(done?.message ? { message: done.message } : {}),
      elapsedMs: done?.elapsedMs ?? lastElapsed,
      ...(last
        ? {
            trainLoss: last.trainLoss,
            trainAccuracy: last.trainAccuracy,
            ...(last.testLoss !== undefined
              ? { testLoss: last.testLoss, testAccuracy: last.testAccuracy }
              : {}),
          }
        : {}),
      ...(done?.best ? { best: done.best } : {}),
    },
  };
}

/** Builds one result per variant from the records of `compare()`. */
export function createRunResults(
  config: Omit<RunConfig, 'variant'>,
  records: readonly TrainRecord[],
  effects: RunResultEffects = {},
): RunResult[] {
  const variants = [...new Set(records.map((r) => r.variant))];
  return variants.map((variant) =>
    createRunResult(
      variant === undefined ? config : { ...config, variant },
      records.filter((r) => r.variant === variant),
      effects,
    ),
  );
}

// JSON has no NaN or Infinity: JSON.stringify writes null, which reads back as NaN.
const metric = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const count = z.number().int().nonnegative();
const variant = z.string().optional();

const stepSchema = z.object({
  kind: z.literal('step'),
  variant,
  step: count,
  epoch: count,
  loss: metric,
  accuracy: metric,
  imagesPerSecond: metric,
  elapsedMs: z.number(),
  totalSteps: count,
});

const epochSchema = z.object({
  kind: z.literal('epoch'),
  variant,
  epoch: count,
  step: count,
  trainLoss: metric,
  trainAccuracy: metric,
  testLoss: metric.optional(),
  testAccuracy: metric.optional(),
  elapsedMs: z.number(),
});

const best = z.object({ epoch: count, testAccuracy: metric });

const runSchema = z.object({
  id: z.string().min(1),
  createdAt: z.iso.datetime({ error: 'an ISO 8601 date-time' }),
  config: z.object({
    model: z.string(),
    variant,
    lesson: z.string().optional(),
    seed: z.number().int(),
    budget: z.string(),
    backend: z.string(),
    device: z.string(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
  steps: z.array(stepSchema),
  epochs: z.array(epochSchema),
  final: z.object({
    reason: z.enum(['completed', 'aborted', 'diverged']),
    message: z.string().optional(),
    elapsedMs: z.number(),
    trainLoss: metric.optional(),
    trainAccuracy: metric.optional(),
    testLoss: metric.optional(),
    testAccuracy: metric.optional(),
    best: best.optional(),
  }),
});

/** The format marker of exported results files. */
export const RESULTS_FORMAT = 'reslab-results';

const fileSchema = z.object({
  format: z.literal(RESULTS_FORMAT),
  version: z.literal(1),
  runs: z.array(runSchema),
});

/** Serialises runs as a results file (JSON, pretty-printed). */
export function resultsToJSON(runs: RunResult | readonly RunResult[]): string {
  return JSON.stringify(
    { format: RESULTS_FORMAT, version: 1, runs: Array.isArray(runs) ? runs : [runs] },
    null,
    2,
  );
}

const CSV_COLUMNS = [
  'id',
  'lesson',
  'model',
  'variant',
  'seed',
  'budget',
  'backend',
  'device',
  'epoch',
  'step',
  'trainLoss',
  'trainAccuracy',
  'testLoss',
  'testAccuracy',
  'elapsedMs',
] as const;

/** Serialises runs as CSV: one row per epoch of each run (for spreadsheets and pandas). */
export function resultsToCSV(runs: RunResult | readonly RunResult[]): string {
  const list = Array.isArray(runs) ? (runs as RunResult[]) : [runs as RunResult];
  const rows = list.flatMap((run) =>
    run.epochs.map((e) => {
      const c = run.config;
      const values = [run.id, c.lesson, c.model, c.variant, c.seed, c.budget, c.backend, c.device];
      return [
        ...values,
        e.epoch,
        e.step,
        e.trainLoss,
        e.trainAccuracy,
        e.testLoss,
        e.testAccuracy,
        e.elapsedMs,
      ]
        .map(csvCell)
        .join(',');
    }),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Reads a results file (text or parsed JSON) back into runs, validating every field; a bad file is
 * rejected with `invalid results file: <where>: <problem>`.
 */
export function parseResults(input: string | unknown): RunResult[] {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new Error(`invalid results file: not JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const result = fileSchema.safeParse(value);
  if (result.success) return result.data.runs as RunResult[];
  const issue = result.error.issues[0];
  const where = issue.path.map(String).join('.') || '(root)';
  const hint = where === 'format' ? ` (expected "${RESULTS_FORMAT}": is this a ResLab results export?)` : '';
  throw new Error(`invalid results file: ${where}: ${issue.message}${hint}`);
}
