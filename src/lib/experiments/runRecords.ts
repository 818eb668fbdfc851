import { createRunResult } from '../train/results.ts';
import type { StepRecord, TrainRecord } from '../train/types.ts';
import type { ExperimentRun, RunProvenance, StepCurve } from './resultsFile.ts';

/**
 * Averages per-step records (`logEvery: 1`) into a curve of one point per `every` steps, counted from
 * the run's first step, so points fall at the same steps whatever the epoch length; a last partial
 * window is left out.
 */
export function toStepCurve(steps: readonly StepRecord[], every: number): StepCurve {
  const curve: StepCurve = { every, loss: [], accuracy: [] };
  steps.forEach((record, i) => {
    if (record.step !== i + 1) {
      throw new Error(
        `invalid step records: step ${record.step} at position ${i + 1} (expected logEvery: 1)`,
      );
    }
  });
  for (let end = every; end <= steps.length; end += every) {
    const window = steps.slice(end - every, end);
    curve.loss.push(window.reduce((sum, r) => sum + r.loss, 0) / every);
    curve.accuracy.push(window.reduce((sum, r) => sum + r.accuracy, 0) / every);
  }
  return curve;
}

/** What a finished run was, besides its records. */
export interface RunIdentity {
  variant: string;
  seed: number;
  model: string;
  curveEvery: number;
  provenance: RunProvenance;
}

/**
 * Turns one run's records (from `compare()` with `logEvery: 1`, ending in `done`) into a results-file
 * run, or returns null when the run was aborted (an unfinished run is never saved).
 */
export function toExperimentRun(
  identity: RunIdentity,
  records: readonly TrainRecord[],
): ExperimentRun | null {
  const result = createRunResult(
    {
      model: identity.model,
      variant: identity.variant,
      seed: identity.seed,
      budget: '',
      backend: identity.provenance.backend.name,
      device: identity.provenance.cpu.model,
    },
    records,
    { createId: () => '', now: () => new Date(0) },
  );
  const { final } = result;
  if (final.reason === 'aborted') return null;
  const error = (accuracy: number | undefined) => (accuracy === undefined ? Number.NaN : 1 - accuracy);
  return {
    variant: identity.variant,
    seed: identity.seed,
    model: identity.model,
    status: final.reason,
    ...(final.message ? { message: final.message } : {}),
    epochs: result.epochs.map((e) => ({
      epoch: e.epoch,
      step: e.step,
      trainLoss: e.trainLoss,
      trainAccuracy: e.trainAccuracy,
      testLoss: e.testLoss ?? Number.NaN,
      testError: error(e.testAccuracy),
      elapsedMs: e.elapsedMs,
    })),
    curve: toStepCurve(result.steps, identity.curveEvery),
    final: {
      trainLoss: final.trainLoss ?? Number.NaN,
      trainAccuracy: final.trainAccuracy ?? Number.NaN,
      testLoss: final.testLoss ?? Number.NaN,
      testError: error(final.testAccuracy),
      ...(final.best ? { best: { epoch: final.best.epoch, testError: 1 - final.best.testAccuracy } } : {}),
    },
    provenance: identity.provenance,
  };
}
