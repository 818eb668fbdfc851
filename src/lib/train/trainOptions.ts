import { z } from 'zod';
import { augmentSchema } from '../data/augment.ts';
import { parseOptions, positiveInt, seedSchema } from '../options.ts';
import { scheduleSchema } from './schedules.ts';

/** What a batch hook sees: which images make up the step about to run. */
export interface BatchInfo {
  epoch: number;
  step: number;
  indices: Int32Array;
}

/** Options of `train()` and `compare()`. */
export type TrainOptions = z.input<typeof trainOptionsSchema>;

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', { error: 'a function' });

/** The zod schema of {@link TrainOptions}. */
export const trainOptionsSchema = z
  .object({
    /** Passes over the training split. Default 1. */
    epochs: positiveInt.max(10_000, { error: 'a positive integer up to 10000' }).default(1),
    /** Images per step. Default 64. The last partial batch of an epoch is dropped so every step has one shape. */
    batchSize: positiveInt.max(4096, { error: 'a positive integer up to 4096' }).default(64),
    /** `sgd` (with momentum, the papers' choice) or `adam`. Default `sgd`. */
    optimizer: z.enum(['sgd', 'adam'], { error: 'one of sgd, adam' }).default('sgd'),
    /** Base learning rate. Default 0.05 for `sgd`, 0.001 for `adam`. */
    learningRate: z
      .number({ error: 'a positive number' })
      .positive({ error: 'a positive number' })
      .max(10, { error: 'a positive number up to 10' })
      .optional(),
    /** SGD momentum. Default 0.9 (the papers' value); ignored by Adam. */
    momentum: z
      .number({ error: 'a number in [0, 1)' })
      .min(0, { error: 'a number in [0, 1)' })
      .lt(1, { error: 'a number in [0, 1)' })
      .default(0.9),
    /** Nesterov momentum. Default false. */
    nesterov: z.boolean({ error: 'true or false' }).default(false),
    /** L2 weight decay on convolution and dense kernels, added to their gradients (PyTorch's `weight_decay`). Default 0; the papers use 1e-4 (ResNet) and 5e-4 (VGG). */
    weightDecay: z
      .number({ error: 'a number in [0, 0.1]' })
      .min(0, { error: 'a number in [0, 0.1]' })
      .max(0.1, { error: 'a number in [0, 0.1]' })
      .default(0),
    /** Learning-rate schedule. Default constant. */
    schedule: scheduleSchema.default({ kind: 'constant' }),
    /** Seed of the data order and augmentation (not of the weights: the model builder takes its own seed). Default 0. */
    seed: seedSchema.default(0),
    /** Stops training within one step; the run then ends with a `done` record whose reason is `aborted`. */
    signal: z
      .custom<AbortSignal>((v) => typeof AbortSignal !== 'undefined' && v instanceof AbortSignal, {
        error: 'an AbortSignal',
      })
      .optional(),
    /** Steps between read-backs of loss and accuracy (each read-back waits for the GPU). Default 10. */
    logEvery: positiveInt.default(10),
    /** Training-time augmentation (random crop with padding, flip). Default none. */
    augment: augmentSchema.optional(),
    /** Images per forward pass when evaluating the test split after each epoch. Default 256. */
    evaluateBatchSize: positiveInt.default(256),
    /** Called before each step with the images it uses (for views of the batch, and tests). */
    onBatch: fn<(info: BatchInfo) => void>().optional(),
    /** Clock in milliseconds. Default `performance.now`. */
    now: fn<() => number>().optional(),
    /** Lets other work run between steps. Default {@link yieldToEventLoop}. */
    yieldToEventLoop: fn<() => Promise<void>>().optional(),
  })
  .strict();

/** Training options with defaults filled in. */
export type ParsedTrainOptions = z.output<typeof trainOptionsSchema> & { learningRate: number };

/** Validates training options and fills in defaults; throws `invalid <option>: <value> (expected …)`. */
export function parseTrainOptions(options: TrainOptions | undefined): ParsedTrainOptions {
  const parsed = parseOptions(trainOptionsSchema, options, 'train option');
  return { ...parsed, learningRate: parsed.learningRate ?? (parsed.optimizer === 'adam' ? 0.001 : 0.05) };
}
