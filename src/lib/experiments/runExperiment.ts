import type * as tf from '@tensorflow/tfjs';
import { compare } from '../train/compare.ts';
import type { EpochRecord, TrainData, TrainRecord } from '../train/types.ts';
import { toExperimentBudgetName } from './budgets.ts';
import type { Experiment } from './defineExperiment.ts';
import { createEtaEstimator, type PlannedRun } from './eta.ts';
import {
  EXPERIMENT_RESULTS_FORMAT,
  type ExperimentResults,
  type ExperimentRun,
  type RunProvenance,
} from './resultsFile.ts';
import { toExperimentRun } from './runRecords.ts';
import { seedMathRandom } from './seedMathRandom.ts';
import type { BudgetLike } from './types.ts';

/** Where runs are trained: the provenance of every run but its date and wall time. */
export type RunEnvironment = Omit<RunProvenance, 'date' | 'wallTimeMs'>;

/** A snapshot of where the invocation is, for a progress bar. */
export interface ExperimentProgress {
  /** `start` of a run, a training `step`, an `epoch` ended, a run `saved`. */
  kind: 'start' | 'step' | 'epoch' | 'saved';
  /** 1-based position of the run among all runs of the plan (finished ones included). */
  run: number;
  runs: number;
  variant: string;
  seed: number;
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  /** Training images per second of this run so far (evaluation included). */
  imagesPerSecond: number;
  /** Estimated time to the end of the invocation, or null while unknown. */
  etaMs: number | null;
  /** The epoch's figures (`epoch`). */
  record?: EpochRecord;
  /** The finished run (`saved`). */
  result?: ExperimentRun;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Default `reference`. */
  budget?: BudgetLike;
  /** Default: the experiment's seeds. */
  seeds?: readonly number[];
  /** The images, loaded with the experiment's `dataOptions` at this budget (sizes are checked). */
  data: TrainData;
  environment: RunEnvironment;
  /** The results of an earlier invocation to resume: its runs are kept and not trained again. */
  results?: ExperimentResults | null;
  /** Stops within one step; the run in progress is dropped, finished ones are kept. */
  signal?: AbortSignal;
  onProgress?: (progress: ExperimentProgress) => void;
  /** Called with the updated results after each finished run (the CLI writes the file there). */
  onRunFinished?: (results: ExperimentResults, run: ExperimentRun) => void | Promise<void>;
  /** Monotonic clock in ms. Default `performance.now`. */
  now?: () => number;
  /** Wall clock. Default `() => new Date()`. */
  date?: () => Date;
}

/** What {@link runExperiment} did. */
export interface RunExperimentResult {
  status: 'completed' | 'interrupted';
  results: ExperimentResults;
  /** Runs trained by this invocation. */
  trained: number;
  /** Runs of the plan already in the results it resumed. */
  skipped: number;
}

/** Thrown when results to resume were made by another definition (or another experiment or budget). */
export class ResultsMismatchError extends Error {}

/**
 * Checks that results belong to an experiment at a budget and were made by its current definition;
 * throws {@link ResultsMismatchError} saying what differs otherwise.
 */
export async function checkResultsDefinition(
  experiment: Experiment,
  budget: BudgetLike,
  results: ExperimentResults,
  file = 'the results',
): Promise<void> {
  const name = toExperimentBudgetName(budget);
  if (results.experiment !== experiment.name || results.budget !== name) {
    throw new ResultsMismatchError(
      `${file} holds ${results.experiment} at budget ${results.budget}, not ${experiment.name} at budget ${name}`,
    );
  }
  const hash = await experiment.definitionHash(name);
  if (results.definitionHash !== hash) {
    throw new ResultsMismatchError(
      `${file} was trained with another definition of ${experiment.name} at budget ${name} ` +
        `(definition hash ${results.definitionHash.slice(0, 12)}…, now ${hash.slice(0, 12)}…): ` +
        'its runs cannot be mixed with new ones; move the file away (or delete it) and run again',
    );
  }
}

/** Returns a results object with no runs for an experiment at a budget. */
export async function createExperimentResults(
  experiment: Experiment,
  budget: BudgetLike,
): Promise<ExperimentResults> {
  const name = toExperimentBudgetName(budget);
  return {
    format: EXPERIMENT_RESULTS_FORMAT,
    version: 1,
    experiment: experiment.name,
    budget: name,
    definitionHash: await experiment.definitionHash(name),
    definition: experiment.describe(name),
    seeds: [],
    runs: [],
  };
}

/**
 * Trains an experiment's runs (each variant at each seed) through `compare()`, one seed at a time, and
 * hands over the results after every finished run. Runs already in `results` are skipped, so a second
 * invocation resumes where the first stopped; an abort drops only the run in progress. Step records
 * are read every step (`logEvery: 1`: a read-back costs nothing on wasm, where the CLI trains) to build
 * a step curve with points at fixed steps.
 */
export async function runExperiment(
  experiment: Experiment,
  options: RunExperimentOptions,
): Promise<RunExperimentResult> {
  const budget = toExperimentBudgetName(options.budget ?? 'reference');
  const settings = experiment.budget(budget);
  const seeds = options.seeds ?? experiment.seeds;
  const now = options.now ?? (() => performance.now());
  const date = options.date ?? (() => new Date());
  checkDataSizes(options.data, settings.trainSize, settings.testSize);
  if (options.results) await checkResultsDefinition(experiment, budget, options.results);
  const results = options.results
    ? structuredClone(options.results)
    : await createExperimentResults(experiment, budget);

  const variants = experiment.variants(budget);
  const order = variants.map((v) => v.name);
  const plan = seeds.flatMap((seed) => order.map((variant) => ({ seed, variant })));
  const isDone = (seed: number, variant: string) =>
    results.runs.some((r) => r.seed === seed && r.variant === variant);
  const skipped = plan.filter((p) => isDone(p.seed, p.variant)).length;
  const stepsPerEpoch = Math.floor(settings.trainSize / settings.batchSize);
  const totalSteps = stepsPerEpoch * settings.epochs;
  const images = totalSteps * settings.batchSize;
  const eta = createEtaEstimator();
  const baseOptions = experiment.trainOptions(budget);
  let trained = 0;

  for (const seed of seeds) {
    const todo = variants.filter((v) => !isDone(seed, v.name));
    if (todo.length === 0) continue;
    let restore: (() => void) | null = null;
    let current: {
      variant: string;
      model: string;
      startedAt: Date;
      start: number;
      records: TrainRecord[];
    } | null = null;
    const progress = (
      kind: ExperimentProgress['kind'],
      step: number,
      epoch: number,
      extra: Partial<ExperimentProgress> = {},
    ): ExperimentProgress => {
      const variant = current!.variant;
      const elapsedMs = now() - current!.start;
      const index = plan.findIndex((p) => p.seed === seed && p.variant === variant);
      const later: PlannedRun[] = plan
        .slice(index + 1)
        .filter((p) => !isDone(p.seed, p.variant))
        .map((p) => ({ variant: p.variant, images }));
      const fraction = kind === 'saved' ? 1 : step / totalSteps;
      return {
        kind,
        run: index + 1,
        runs: plan.length,
        variant,
        seed,
        epoch,
        epochs: settings.epochs,
        step,
        totalSteps,
        imagesPerSecond: elapsedMs > 0 ? (step * settings.batchSize * 1000) / elapsedMs : 0,
        etaMs: eta.remaining({ variant, images, fraction, elapsedMs }, later),
        ...extra,
      };
    };
    // Each variant is built when compare() reaches it: that is where a run starts.
    const runs = todo.map((v) => ({
      name: v.name,
      build: (weightSeed: number): tf.LayersModel => {
        const [startedAt, start] = [date(), now()];
        restore?.();
        restore = seedMathRandom(seed, v.name);
        const model = v.build(weightSeed);
        current = { variant: v.name, model: model.name, startedAt, start, records: [] };
        options.onProgress?.(progress('start', 0, 1));
        return model;
      },
    }));
    try {
      const records = compare(runs, options.data, {
        ...baseOptions,
        seed,
        logEvery: 1,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      for await (const record of records) {
        const run = current!;
        run.records.push(record);
        if (record.kind === 'step') {
          options.onProgress?.(progress('step', record.step, record.epoch));
        } else if (record.kind === 'epoch') {
          options.onProgress?.(progress('epoch', record.step, record.epoch, { record }));
        } else {
          const wallTimeMs = now() - run.start;
          const result = toExperimentRun(
            {
              variant: run.variant,
              seed,
              model: run.model,
              curveEvery: settings.curveEvery,
              provenance: { ...options.environment, date: run.startedAt.toISOString(), wallTimeMs },
            },
            run.records,
          );
          if (!result) return { status: 'interrupted', results, trained, skipped };
          insertRun(results, result, order);
          trained++;
          eta.finish(run.variant, images, wallTimeMs);
          await options.onRunFinished?.(results, result);
          const last = run.records.filter((r) => r.kind === 'epoch').at(-1);
          options.onProgress?.(progress('saved', totalSteps, last?.epoch ?? 0, { result }));
        }
      }
      if (options.signal?.aborted) return { status: 'interrupted', results, trained, skipped };
    } finally {
      (restore as (() => void) | null)?.();
    }
  }
  return { status: 'completed', results, trained, skipped };
}

// Runs sorted by seed, then by the experiment's variant order, so a resumed file reads like a fresh one.
function insertRun(results: ExperimentResults, run: ExperimentRun, order: readonly string[]): void {
  results.runs.push(run);
  const rank = (r: ExperimentRun) => order.indexOf(r.variant);
  results.runs.sort((a, b) => a.seed - b.seed || rank(a) - rank(b));
  results.seeds = [...new Set(results.runs.map((r) => r.seed))].sort((a, b) => a - b);
}

function checkDataSizes(data: TrainData, trainSize: number, testSize: number): void {
  const test = data.test?.count ?? 0;
  if (data.train.count !== trainSize || test !== testSize) {
    throw new Error(
      `invalid data: ${data.train.count} training and ${test} test images (the budget needs ${trainSize} and ${testSize}; load them with the experiment's dataOptions)`,
    );
  }
}
