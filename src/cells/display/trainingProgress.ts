// The training view's progress arithmetic: time left for a run and for a whole comparison. DOM-free.

/** Formats milliseconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = String(seconds % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Estimates the time left from the time spent on the steps done so far. */
export function estimateRemainingMs(step: number, totalSteps: number, elapsedMs: number): number | null {
  return step > 0 && totalSteps >= step ? (elapsedMs * (totalSteps - step)) / step : null;
}

/** "about 1:05 left", or "finishing" when less than a second is left (the test pass may still run). */
export function describeRemaining(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? 'finishing' : `about ${formatDuration(ms)} left`;
}

/**
 * Progress of a comparison: which variant of how many, and the time left for all of them, from the
 * steps done so far (each variant trains the same number of steps). Null for a single run.
 */
export function comparisonProgress(
  variants: readonly string[] | undefined,
  record: { variant?: string; step: number; totalSteps: number; elapsedMs: number },
  finishedMs: number,
): { label: string; remainingMs: number | null } | null {
  const index = record.variant === undefined ? -1 : (variants ?? []).indexOf(record.variant);
  if (!variants || variants.length < 2 || index < 0) return null;
  const done = index + record.step / record.totalSteps;
  const spent = finishedMs + record.elapsedMs;
  return {
    label: `variant ${index + 1} of ${variants.length}`,
    remainingMs: done > 0 ? (spent * (variants.length - done)) / done : null,
  };
}
