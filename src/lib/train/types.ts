import type { Preprocess } from '../data/batches.ts';
import type { ImageSet } from '../data/imageSet.ts';

/** Every `logEvery` steps: means over the steps since the previous step record. */
export interface StepRecord {
  kind: 'step';
  variant?: string;
  /** Steps done so far in the run (1-based). */
  step: number;
  /** The epoch this step belongs to (1-based). */
  epoch: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  elapsedMs: number;
  totalSteps: number;
}

/** After each epoch: training means over the epoch and, when there is a test split, test figures. */
export interface EpochRecord {
  kind: 'epoch';
  variant?: string;
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss?: number;
  testAccuracy?: number;
  elapsedMs: number;
}

/** The last record of a run: why it stopped and its best test accuracy. */
export interface DoneRecord {
  kind: 'done';
  variant?: string;
  reason: 'completed' | 'aborted' | 'diverged';
  message?: string;
  best?: { epoch: number; testAccuracy: number };
  elapsedMs: number;
}

/** A plain-number record yielded by `train()` and `compare()`. */
export type TrainRecord = StepRecord | EpochRecord | DoneRecord;

/** What a run is, known before it starts: what views and saved results need to describe it. */
export interface RunInfo {
  /** The model's name (for `compare()`, the first variant's model once it is built). */
  model: string;
  /** Variant names in training order (`compare()` only). */
  variants?: string[];
  /** Seed of the data order. */
  seed: number;
  /** The training options that are plain JSON values (no functions, no signal). */
  options: Record<string, unknown>;
}

/** The records of `train()` or `compare()`, with what the run is. */
export interface TrainRun extends AsyncGenerator<TrainRecord> {
  readonly info: RunInfo;
}

/**
 * What `train()` reads: a training split, an optional test split (evaluated after each epoch) and the
 * preprocess that turns bytes into model inputs. An `ImageDataset` from `loadFashionMnist` or
 * `loadImageFolder` is one.
 */
export interface TrainData {
  train: ImageSet;
  test?: ImageSet;
  preprocess?: Preprocess;
  classNames?: readonly string[];
}
