import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch } from '../../../src/lib/data/augment.ts';
import { epochBatches, makeBatch, preprocessImages } from '../../../src/lib/data/batches.ts';
import { createImageSet } from '../../../src/lib/data/imageSet.ts';
import { createRandom } from '../../../src/lib/data/random.ts';

beforeAll(() => tf.setBackend('cpu'));

const set = createImageSet(
  Uint8Array.from({ length: 6 * 16 }, (_, i) => i % 256),
  Uint8Array.from([0, 1, 2, 0, 1, 2]),
  { height: 4, width: 4, channels: 1 },
);

describe('epochBatches', () => {
  it('drops the remainder, depends only on (seed, epoch), and differs between epochs', () => {
    const a = epochBatches(10, 3, 5, 0);
    expect(a.map((b) => b.length)).toEqual([3, 3, 3]);
    expect(a.map((b) => Array.from(b))).toEqual(epochBatches(10, 3, 5, 0).map((b) => Array.from(b)));
    expect(a.map((b) => Array.from(b))).not.toEqual(epochBatches(10, 3, 5, 1).map((b) => Array.from(b)));
  });
});

describe('makeBatch', () => {
  it('gathers the chosen images scaled to [0, 1] with int32 labels', () => {
    const { x, labels } = makeBatch(set, [2, 0]);
    expect(x.shape).toEqual([2, 4, 4, 1]);
    const values = x.dataSync();
    expect(values[0]).toBeCloseTo(32 / 255, 6);
    expect(values[16]).toBe(0);
    expect(Array.from(labels.dataSync())).toEqual([2, 0]);
    tf.dispose([x, labels]);
  });

  it('resizes, repeats channels and normalises', () => {
    const { x, labels } = makeBatch(set, [1], { preprocess: { size: 8, channels: 3, mean: 0.5, std: 0.25 } });
    expect(x.shape).toEqual([1, 8, 8, 3]);
    const v = x.dataSync();
    expect(v[0]).toBeCloseTo((16 / 255 - 0.5) / 0.25, 5);
    expect(v[1]).toBe(v[0]);
    tf.dispose([x, labels]);
  });
});

describe('augmentBatch', () => {
  const images = tf.tensor4d(
    Array.from({ length: 2 * 16 }, (_, i) => i),
    [2, 4, 4, 1],
  );

  it('flips exactly (every image flipped when the stream always says so)', () => {
    const always = { next: () => 0.1, nextInt: () => 0 };
    const flipped = augmentBatch(images, { flip: true }, always);
    expect(Array.from(flipped.dataSync()).map(Math.round)).toEqual(
      Array.from(tf.reverse(images, 2).dataSync()),
    );
  });

  it('crops exactly at integer offsets with zero padding', () => {
    const offsets = [0, 2]; // top 0, left 2, for both images
    let k = 0;
    const fixed = { next: () => 0.9, nextInt: () => offsets[k++ % 2] };
    const cropped = augmentBatch(images, { cropPadding: 1 }, fixed);
    const expected = tf.slice(
      tf.pad(images, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]),
      [0, 0, 2, 0],
      [2, 4, 4, 1],
    );
    const got = Array.from(cropped.dataSync());
    Array.from(expected.dataSync()).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });

  it('is seeded', () => {
    const a = augmentBatch(images, { flip: true, cropPadding: 2 }, createRandom(3)).dataSync();
    const b = augmentBatch(images, { flip: true, cropPadding: 2 }, createRandom(3)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('leaves no tensors behind inside tidy', () => {
    const before = tf.memory().numTensors;
    tf.dispose(
      tf.tidy(() =>
        preprocessImages(augmentBatch(images, { flip: true, cropPadding: 1 }, createRandom(1)), { size: 6 }),
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
