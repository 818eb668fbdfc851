import * as tf from '@tensorflow/tfjs';
import { createImageSet, type ImageSet } from '../../../src/lib/data/imageSet.ts';
import { createRandom } from '../../../src/lib/data/random.ts';

/**
 * A tiny learnable task: 8×8 grayscale images whose class (0–3) is the quadrant that is bright,
 * with uniform noise elsewhere.
 */
export function quadrantImages(count: number, seed = 1): ImageSet {
  const random = createRandom(seed);
  const images = new Uint8Array(count * 64);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 4;
    labels[i] = label;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const quadrant = (y >= 4 ? 2 : 0) + (x >= 4 ? 1 : 0);
        images[i * 64 + y * 8 + x] = quadrant === label ? 160 + random.nextInt(96) : random.nextInt(128);
      }
    }
  }
  return createImageSet(images, labels, { height: 8, width: 8, channels: 1 });
}

/**
 * A small seeded conv net with BN for [8, 8, 1] inputs and `classes` logits. TF.js initialisers treat
 * seed 0 as "no seed" (`seed ? seed : Math.random()`), so the seeds given to them are offset by 1.
 */
export function buildTinyConvNet(seed: number, classes = 4, size = 8): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }),
      name: 'conv1',
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({
      units: classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      name: 'fc',
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** A seeded MLP for [size, size, 1] inputs. */
export function buildMlp(seed: number, size: number, hidden = 64, classes = 10): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [size, size, 1] }),
      tf.layers.dense({
        units: hidden,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }),
      }),
      tf.layers.dense({
        units: classes,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
      }),
    ],
  });
}

/** Collects every record of an async generator. */
export async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of records) out.push(r);
  return out;
}
