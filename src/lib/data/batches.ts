import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { augmentBatch, isAugmenting, type AugmentOptions } from './augment.ts';
import type { ImageSet } from './imageSet.ts';
import { createRandom, deriveSeed, shuffleInPlace, type Random } from './random.ts';

/** How images become model inputs, applied on the device to each batch. */
export type Preprocess = z.input<typeof preprocessSchema>;

const perChannel = z.union([z.number(), z.array(z.number()).min(1)], {
  error: 'a number or one number per channel',
});

/** The zod schema of {@link Preprocess}. */
export const preprocessSchema = z
  .object({
    /** Output size: a side length or [height, width], by bilinear resizing. Default: the images' own size. */
    size: z
      .union(
        [z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])],
        {
          error: 'a positive integer or [height, width]',
        },
      )
      .optional(),
    /** Output channels: 1 keeps grayscale, 3 repeats one channel three times. Default: the images' own. */
    channels: z.union([z.literal(1), z.literal(3)], { error: '1 or 3' }).optional(),
    /** Mean subtracted after scaling pixels to [0, 1], one value or one per channel. Default 0. */
    mean: perChannel.optional(),
    /** Standard deviation divided by after subtracting the mean. Default 1. */
    std: perChannel.optional(),
  })
  .strict();

/** A batch on the device: inputs [batch, height, width, channels] and class indices [batch]. */
export interface Batch {
  x: tf.Tensor4D;
  labels: tf.Tensor1D;
}

/**
 * Returns one epoch's batches of example indices: the seeded permutation for (seed, epoch), cut into
 * full batches. The remainder is dropped so every step has the same shapes (TF.js WebGPU keeps a
 * buffer per size forever; see research/tfjs.md §1.4). Each epoch's order depends only on the seed and
 * the epoch number, so two runs with the same seed see the same images in the same order.
 */
export function epochBatches(count: number, batchSize: number, seed: number, epoch: number): Int32Array[] {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  shuffleInPlace(order, createRandom(deriveSeed(seed, 'order', epoch)));
  const batches: Int32Array[] = [];
  for (let start = 0; start + batchSize <= count; start += batchSize)
    batches.push(order.subarray(start, start + batchSize));
  return batches;
}

/** Returns the batches of 0..count-1 in order, the last one partial (for evaluation). */
export function sequentialBatches(count: number, batchSize: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    batches.push(Int32Array.from({ length: end - start }, (_, i) => start + i));
  }
  return batches;
}

/** Options of {@link makeBatch}. */
export interface MakeBatchOptions {
  /** Preprocessing (size, channels, normalisation). Default: [0, 1] pixels at the images' own size. */
  preprocess?: Preprocess;
  /** Augmentation, applied before resizing and normalisation. Default none. */
  augment?: AugmentOptions;
  /** The stream the augmentation draws from; required when augmenting. */
  random?: Random;
}

/**
 * Uploads the images at `indices` as one batch and preprocesses it on the device: scale to [0, 1],
 * augment, resize, repeat channels, normalise. Only the gathered batch crosses to the device.
 * The caller owns the returned tensors (call inside tf.tidy or dispose them).
 */
export function makeBatch(set: ImageSet, indices: ArrayLike<number>, options: MakeBatchOptions = {}): Batch {
  const { height, width, channels } = set;
  const size = height * width * channels;
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const offset = indices[i] * size;
    for (let k = 0; k < size; k++) pixels[i * size + k] = set.images[offset + k] / 255;
    labels[i] = set.labels[indices[i]];
  }
  return tf.tidy(() => {
    let x = tf.tensor4d(pixels, [indices.length, height, width, channels]); // [batch, h, w, c] in [0, 1]
    if (isAugmenting(options.augment)) {
      if (!options.random) throw new Error('invalid augment: a random stream is required to augment');
      x = augmentBatch(x, options.augment!, options.random);
    }
    x = preprocessImages(x, options.preprocess);
    return { x, labels: tf.tensor1d(labels, 'int32') };
  });
}

/** Resizes, repeats channels and normalises images already scaled to [0, 1] (on the device). */
export function preprocessImages(x: tf.Tensor4D, preprocess: Preprocess = {}): tf.Tensor4D {
  return tf.tidy(() => {
    let out = x;
    const [, height, width, channels] = x.shape;
    const [h, w] = preprocessSize(preprocess, height, width);
    if (h !== height || w !== width) out = tf.image.resizeBilinear(out, [h, w]); // [batch, h, w, c]
    if (preprocess.channels !== undefined && preprocess.channels !== channels) {
      if (channels !== 1)
        throw new Error(
          `invalid channels: ${preprocess.channels} (images have ${channels}; only 1 → 3 is supported)`,
        );
      out = tf.tile(out, [1, 1, 1, preprocess.channels]); // [batch, h, w, 3]
    }
    if (preprocess.mean !== undefined) out = tf.sub(out, preprocess.mean);
    if (preprocess.std !== undefined) out = tf.div(out, preprocess.std);
    return out;
  });
}

/** The [height, width] a preprocess produces from images of the given size. */
export function preprocessSize(preprocess: Preprocess, height: number, width: number): [number, number] {
  const size = preprocess.size;
  if (size === undefined) return [height, width];
  return typeof size === 'number' ? [size, size] : size;
}
