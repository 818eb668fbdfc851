import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Random } from './random.ts';

/** Augmentation options (the CIFAR recipe of He et al. 2016, §4.2: pad 4, random crop, random flip). */
export type AugmentOptions = z.input<typeof augmentSchema>;

/** The zod schema of {@link AugmentOptions}. */
export const augmentSchema = z
  .object({
    /** Flips each image left–right with probability 1/2. Default false. */
    flip: z.boolean({ error: 'true or false' }).default(false),
    /** Pads each side by this many zero pixels, then crops back to the original size at a random offset. Default 0 (no crop). */
    cropPadding: z
      .number({ error: 'a non-negative integer (pixels)' })
      .int({ error: 'a non-negative integer (pixels)' })
      .min(0, { error: 'a non-negative integer (pixels)' })
      .max(64, { error: 'at most 64 pixels' })
      .default(0),
  })
  .strict();

/** Returns true when the options change images at all. */
export function isAugmenting(options: AugmentOptions | undefined): boolean {
  return !!options && (options.flip === true || (options.cropPadding ?? 0) > 0);
}

/**
 * Randomly crops and flips a batch [batch, height, width, channels] on the device. The offsets and
 * flips are drawn on the CPU from the seeded stream (a few numbers per image), and one
 * `cropAndResize` applies them all: a box at integer offsets with the crop's own size samples pixels
 * exactly, and a box with x1 > x2 samples them mirrored. The caller disposes the result (use in tf.tidy).
 */
export function augmentBatch(images: tf.Tensor4D, options: AugmentOptions, random: Random): tf.Tensor4D {
  const [batch, height, width] = images.shape;
  const pad = options.cropPadding ?? 0;
  const flip = options.flip ?? false;
  const padded =
    pad > 0
      ? tf.pad(images, [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ])
      : images; // [batch, h+2p, w+2p, c]
  const spanY = Math.max(1, height + 2 * pad - 1);
  const spanX = Math.max(1, width + 2 * pad - 1);
  const boxes = new Float32Array(batch * 4);
  for (let i = 0; i < batch; i++) {
    const top = pad > 0 ? random.nextInt(2 * pad + 1) : 0;
    const left = pad > 0 ? random.nextInt(2 * pad + 1) : 0;
    const mirrored = flip && random.next() < 0.5;
    const x1 = left / spanX;
    const x2 = (left + width - 1) / spanX;
    boxes.set([top / spanY, mirrored ? x2 : x1, (top + height - 1) / spanY, mirrored ? x1 : x2], i * 4);
  }
  const boxIndices = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;
  return tf.image.cropAndResize(
    padded,
    tf.tensor2d(boxes, [batch, 4]),
    boxIndices,
    [height, width],
    'bilinear',
  );
}
