import type { ExperimentResults, ExperimentRun } from './resultsFile.ts';

/** A quantity across seeds: mean, smallest and largest, over `n` runs. */
export interface SeedStat {
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** One variant of an experiment's results, across its seeds. */
export interface VariantSummary {
  variant: string;
  /** Seeds of its runs, ascending. */
  seeds: number[];
  /** Runs that diverged (their figures are left out of the statistics, and counted here). */
  diverged: number;
  /** Per epoch, across the runs that reached it: test error (fraction) and training loss. */
  epochs: { epoch: number; testError: SeedStat; trainLoss: SeedStat }[];
  /** Final test error (fraction) across completed runs, and each run's. */
  final: { testError: SeedStat | null; bySeed: { seed: number; testError: number }[] };
  /** The step curve (training loss, `every` steps a point), across runs; `epochs` is the point's position in epochs. */
  curve: { step: number; epochs: number; loss: SeedStat }[];
}

/** An experiment's results, summarised across seeds, in the experiment's variant order. */
export interface ExperimentSummary {
  experiment: string;
  budget: string;
  seeds: number[];
  variants: VariantSummary[];
  /** Sum of every run's wall time. */
  wallTimeMs: number;
  /**
   * What one seed of every variant took, as a reader's run of the comparison trains them: per variant
   * the median over its completed runs, summed. `firstEpochMs` to the end of the first epoch (its test
   * pass included), `wholeMs` the whole run. Null while a variant has no completed run.
   */
  oneSeedTime: { firstEpochMs: number; wholeMs: number } | null;
  /** The library commits and backends the runs were trained with (usually one of each). */
  commits: string[];
  backends: string[];
  /** Training images per epoch and batch size, to place step curves in epochs. */
  trainSize: number;
  batchSize: number;
}

/** Mean, min and max of the finite values, or null when there are none. */
export function seedStat(values: readonly number[]): SeedStat | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  return {
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
    min: Math.min(...finite),
    max: Math.max(...finite),
    n: finite.length,
  };
}

/** The median of some numbers (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function oneSeedTime(order: string[], runs: ExperimentRun[]): ExperimentSummary['oneSeedTime'] {
  const perVariant = order.map((name) =>
    runs.filter((r) => r.variant === name && r.status === 'completed' && r.epochs.length > 0),
  );
  if (perVariant.some((variantRuns) => variantRuns.length === 0)) return null;
  const sum = (pick: (run: ExperimentRun) => number) =>
    perVariant.reduce((total, variantRuns) => total + median(variantRuns.map(pick)), 0);
  return {
    firstEpochMs: sum((r) => r.epochs[0].elapsedMs),
    wholeMs: sum((r) => r.provenance.wallTimeMs),
  };
}

function summarizeVariant(variant: string, runs: ExperimentRun[], stepsPerEpoch: number): VariantSummary {
  const completed = runs.filter((r) => r.status === 'completed');
  const epochNumbers = [...new Set(completed.flatMap((r) => r.epochs.map((e) => e.epoch)))].sort(
    (a, b) => a - b,
  );
  const epochs = epochNumbers.flatMap((epoch) => {
    const rows = completed.flatMap((r) => r.epochs.filter((e) => e.epoch === epoch));
    const testError = seedStat(rows.map((e) => e.testError));
    const trainLoss = seedStat(rows.map((e) => e.trainLoss));
    return testError && trainLoss ? [{ epoch, testError, trainLoss }] : [];
  });
  const every = completed[0]?.curve.every ?? 1;
  const points = Math.min(...completed.map((r) => r.curve.loss.length), Infinity);
  const curve = Number.isFinite(points)
    ? Array.from({ length: points }, (_, i) => ({
        step: (i + 1) * every,
        epochs: ((i + 1) * every) / stepsPerEpoch,
        loss: seedStat(completed.map((r) => r.curve.loss[i]))!,
      })).filter((p) => p.loss !== null)
    : [];
  return {
    variant,
    seeds: runs.map((r) => r.seed).sort((a, b) => a - b),
    diverged: runs.length - completed.length,
    epochs,
    final: {
      testError: seedStat(completed.map((r) => r.final.testError)),
      bySeed: runs.map((r) => ({ seed: r.seed, testError: r.final.testError })),
    },
    curve,
  };
}

/** Summarises an experiment's results file across seeds, variant by variant, in the definition's order. */
export function summarizeResults(results: ExperimentResults): ExperimentSummary {
  const training = results.definition.training as { batchSize?: number };
  const batchSize = training.batchSize ?? 64;
  const trainSize = results.definition.data.trainSize;
  const stepsPerEpoch = Math.floor(trainSize / batchSize);
  const order = results.definition.variants.map((v) => v.name);
  const variants = order
    .map((name) => ({ name, runs: results.runs.filter((r) => r.variant === name) }))
    .filter(({ runs }) => runs.length > 0)
    .map(({ name, runs }) => summarizeVariant(name, runs, stepsPerEpoch));
  const unique = (values: string[]) => [...new Set(values)];
  return {
    experiment: results.experiment,
    budget: results.budget,
    seeds: results.seeds,
    variants,
    wallTimeMs: results.runs.reduce((sum, r) => sum + r.provenance.wallTimeMs, 0),
    oneSeedTime: oneSeedTime(order, results.runs),
    commits: unique(results.runs.map((r) => r.provenance.library.commit)),
    backends: unique(
      results.runs.map((r) => {
        const b = r.provenance.backend;
        return `${b.name}${b.simd ? ' SIMD' : ''}, ${b.threads} thread${b.threads === 1 ? '' : 's'}`;
      }),
    ),
    trainSize,
    batchSize,
  };
}
