import * as tf from '@tensorflow/tfjs';
import { parseOptions, inputShapeSchema } from './options.ts';
import type { Block } from './primitives.ts';

/**
 * Wraps one block in a functional model with the given input shape [h, w, c], so a block can be run and
 * traced on its own (e.g. the seed's residual block on a 4×3×6×6 batch).
 */
export function buildBlockModel(
  block: Block,
  inputShape: [number, number, number],
  name = 'block',
): tf.LayersModel {
  const shape = parseOptions(inputShapeSchema, inputShape, 'inputShape');
  const input = tf.input({ shape, name: 'input' });
  return tf.model({ inputs: input, outputs: block(input), name });
}
