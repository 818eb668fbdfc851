import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR } from '../../../src/cli/data.ts';
import { parseIdxPair } from '../../../src/lib/data/idx.ts';
import { createImageSet, selectImages, type ImageSet } from '../../../src/lib/data/imageSet.ts';
import { stratifiedSample } from '../../../src/lib/data/split.ts';
import { evaluate } from '../../../src/lib/train/evaluate.ts';
import { train } from '../../../src/lib/train/train.ts';
import type { EpochRecord, StepRecord } from '../../../src/lib/train/types.ts';
import { buildMlp, collect } from './fixtures.ts';

beforeAll(() => tf.setBackend('cpu'));

const dir = process.env.RESLAB_FASHION_MNIST_DIR ?? DEBIAN_FASHION_MNIST_DIR;

function read(prefix: string, size: number, seed: number): ImageSet {
  const file = (name: string) => gunzipSync(readFileSync(join(dir, `${name}.gz`)));
  const idx = parseIdxPair(
    file(`${prefix}-images-idx3-ubyte`),
    file(`${prefix}-labels-idx1-ubyte`),
    10,
    prefix,
  );
  const all = createImageSet(idx.images, idx.labels, { height: 28, width: 28, channels: 1 });
  return selectImages(all, stratifiedSample(all.labels, size, seed));
}

describe('Fashion-MNIST (real Debian files)', () => {
  it('beats chance by far with a small MLP in a few epochs', async () => {
    const data = {
      train: read('train', 2000, 0),
      test: read('t10k', 1000, 0),
      preprocess: { mean: 0.286, std: 0.353 },
    };
    const model = buildMlp(1, 28, 64, 10);
    const before = await evaluate(model, data.test, { preprocess: data.preprocess });
    const records = await collect(
      train(model, data, { epochs: 3, batchSize: 32, learningRate: 0.02, logEvery: 20 }),
    );
    const last = records.filter((r): r is EpochRecord => r.kind === 'epoch').at(-1)!;
    const speed = records.filter((r): r is StepRecord => r.kind === 'step').at(-1)!.imagesPerSecond;
    console.log(
      `Fashion-MNIST 2000/1000, MLP 784-64-10, 3 epochs: test accuracy ${before.accuracy.toFixed(3)} → ${last.testAccuracy!.toFixed(3)}, ` +
        `${(speed / 32).toFixed(0)} steps/s (batch 32, CPU backend)`,
    );
    expect(before.accuracy).toBeLessThan(0.3);
    expect(last.testAccuracy!).toBeGreaterThan(0.7);
    model.dispose();
  });
});
