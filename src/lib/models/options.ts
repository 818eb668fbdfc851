import { z } from 'zod';
import { positiveInt } from '../options.ts';

export { formatValue, oneOf, parseOptions, positiveInt, seedSchema } from '../options.ts';

/** An input shape [height, width, channels] (channels last). */
export const inputShapeSchema = z.tuple([positiveInt, positiveInt, positiveInt], {
  error: '[height, width, channels] of positive integers',
});

/** A width multiplier applied to every channel count. */
export const widthSchema = z
  .number({ error: 'a positive number' })
  .positive({ error: 'a positive number' })
  .max(64, { error: 'a positive number up to 64' });

/** Scales a channel count by a width multiplier, keeping at least one channel. */
export function scaleChannels(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}
