import type { LoadProgress } from '../../lib/data/fashionMnist.ts';
import { displayValue, type DisplayContext } from './index.ts';
import { renderProgress } from './progress.ts';
import type { TrainingDisplayOptions } from './training.ts';

/** `display` as cells see it: shows any value, plus helpers for views that need options. */
export interface Display {
  /** Shows a value with the richest view that fits (a training run, tensor, model, figure, object). */
  (value: unknown): void;
  /** Shows a labelled progress bar and returns the callback to pass as a loader's `onProgress`. */
  progress(label: string): (progress: LoadProgress) => void;
  /** Shows a `train()`/`compare()` run live, with options such as the paper's figures to compare with. */
  training(run: AsyncIterable<unknown>, options?: TrainingDisplayOptions): void;
}

/**
 * Creates a cell run's `display`: views go into `output`, and each view's promise joins `pending`,
 * which the runtime awaits before the cell counts as done.
 */
export function createDisplay(
  output: HTMLElement,
  context: DisplayContext,
  pending: Promise<void>[],
): Display {
  const show = (value: unknown, training?: TrainingDisplayOptions) =>
    void pending.push(displayValue(value, output, context, training));
  return Object.assign((value: unknown) => show(value), {
    progress: (label: string) => renderProgress(label, output),
    training: (run: AsyncIterable<unknown>, options: TrainingDisplayOptions = {}) => show(run, options),
  });
}
