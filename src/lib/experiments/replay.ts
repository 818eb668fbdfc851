import { train } from '../train/train.ts';
import type { StepRecord, TrainData } from '../train/types.ts';
import type { Experiment } from './defineExperiment.ts';
import type { ExperimentRun, StepCurve } from './resultsFile.ts';
import { toStepCurve } from './runRecords.ts';
import { seedMathRandom } from './seedMathRandom.ts';
import type { BudgetLike } from './types.ts';

/** How close a replayed curve point must be to the recorded one: |a − b| ≤ absolute + relative·|b|. */
export interface ReplayTolerance {
  relative: number;
  absolute: number;
}

/**
 * The tolerance of {@link compareCurves} by default. The same backend (wasm, one thread) runs the same
 * float32 operations in the same order, so a replay on any machine matches to the last bit in
 * practice; the margin only absorbs summation-order differences if TF.js or XNNPACK change them.
 */
export const REPLAY_TOLERANCE: ReplayTolerance = { relative: 1e-3, absolute: 1e-5 };

/**
 * Trains the first `points` curve points of a recorded run again (points × the curve's spacing steps),
 * with the run's variant, seed and the experiment's settings at the budget, and returns the new curve.
 * Run it on the backend the run was recorded on.
 */
export async function replayRun(
  experiment: Experiment,
  budget: BudgetLike,
  run: Pick<ExperimentRun, 'variant' | 'seed' | 'curve'>,
  data: TrainData,
  options: { points?: number } = {},
): Promise<StepCurve> {
  const variant = experiment.variant(budget, run.variant);
  const points = Math.min(options.points ?? 2, run.curve.loss.length);
  const steps = points * run.curve.every;
  const restore = seedMathRandom(run.seed, run.variant);
  const model = variant.build(run.seed);
  const records: StepRecord[] = [];
  try {
    for await (const record of train(model, data, {
      ...experiment.trainOptions(budget),
      seed: run.seed,
      logEvery: 1,
    })) {
      if (record.kind === 'step') records.push(record);
      if (records.length >= steps) break;
    }
  } finally {
    restore();
    model.dispose();
  }
  return toStepCurve(records, run.curve.every);
}

/** One point where a replayed curve left the recorded one. */
export interface CurveMismatch {
  index: number;
  step: number;
  metric: 'loss' | 'accuracy';
  recorded: number;
  replayed: number;
}

/** Compares a replayed curve with the recorded one point by point; returns the points that differ. */
export function compareCurves(
  recorded: StepCurve,
  replayed: StepCurve,
  tolerance: ReplayTolerance = REPLAY_TOLERANCE,
): CurveMismatch[] {
  const mismatches: CurveMismatch[] = [];
  for (const metric of ['loss', 'accuracy'] as const) {
    replayed[metric].forEach((value, index) => {
      const want = recorded[metric][index];
      const close = Math.abs(value - want) <= tolerance.absolute + tolerance.relative * Math.abs(want);
      if (!close)
        mismatches.push({
          index,
          step: (index + 1) * recorded.every,
          metric,
          recorded: want,
          replayed: value,
        });
    });
  }
  return mismatches;
}
