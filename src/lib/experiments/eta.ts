/** A run of an experiment's plan, as the time estimate sees it. */
export interface PlannedRun {
  variant: string;
  /** Training images of the whole run (steps × batch). */
  images: number;
}

/** The run in progress: how far it is and how long it has taken so far. */
export interface CurrentRun extends PlannedRun {
  /** Fraction of its steps done, in [0, 1]. */
  fraction: number;
  elapsedMs: number;
}

/** Estimates the time left of a plan of runs, learning each variant's pace as its runs finish. */
export interface EtaEstimator {
  /** Records a finished run: its variant, training images and wall time. */
  finish(variant: string, images: number, wallTimeMs: number): void;
  /** Returns the milliseconds left for the current run and the later ones, or null before any pace is known. */
  remaining(current: CurrentRun, later: readonly PlannedRun[]): number | null;
}

/**
 * Creates an {@link EtaEstimator}. A run's pace (wall time per training image, evaluation included) is
 * that of its variant's last finished run; for a variant not finished yet, that of all finished runs;
 * before any has finished, the current run's own pace so far.
 */
export function createEtaEstimator(): EtaEstimator {
  const pace = new Map<string, number>();
  let totalMs = 0;
  let totalImages = 0;
  return {
    finish(variant, images, wallTimeMs) {
      if (images <= 0) return;
      pace.set(variant, wallTimeMs / images);
      totalMs += wallTimeMs;
      totalImages += images;
    },
    remaining(current, later) {
      const own = current.fraction > 0 ? current.elapsedMs / (current.fraction * current.images) : null;
      const overall = totalImages > 0 ? totalMs / totalImages : null;
      const paceOf = (run: PlannedRun) => pace.get(run.variant) ?? overall ?? own;
      const currentPace = pace.get(current.variant) ?? own ?? overall;
      if (currentPace === null) return null;
      let left = currentPace * current.images * (1 - current.fraction);
      for (const run of later) left += (paceOf(run) ?? currentPace) * run.images;
      return Math.max(0, left);
    },
  };
}
