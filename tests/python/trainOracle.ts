// Prints what tests/python/test_train.py checks train.py against, computed by the site's own code:
// TF.js's resizeBilinear and the augmentation's crops and flips, learningRateAt, JSON.stringify of
// numbers, and every experiment's definition with its hash. usage: npx node tests/python/trainOracle.ts
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../../src/lib/data/augment.ts';
import { EXPERIMENTS, hashCanonical } from '../../src/lib/experiments/index.ts';
import { learningRateAt, type Schedule } from '../../src/lib/train/schedules.ts';

await tf.setBackend('cpu');
const [n, h, w] = [3, 28, 28];
const pixels = Float32Array.from({ length: n * h * w }, (_, i) => ((i * 7919) % 256) / 255);
const images = tf.tensor4d(pixels, [n, h, w, 1]); // [batch, h, w, channels]
// Each image's top, left and flip draw, in the order augmentBatch asks a stream for them.
const draws = [
  [0, 8, 0.2],
  [4, 3, 0.9],
  [7, 1, 0.4],
];
const queue = draws.flat();
const stream = { nextInt: () => queue.shift()!, next: () => queue.shift()! };

const schedules: Schedule[] = [
  { kind: 'constant' },
  { kind: 'step', epochs: [3] },
  { kind: 'step', epochs: [1, 2], factor: 3 },
  { kind: 'warmup', warmupSteps: 5 },
  { kind: 'warmup', warmupSteps: 7, warmupRate: 0.003, then: { kind: 'step', epochs: [2] } },
  { kind: 'warmup', warmupSteps: 6, linear: true, then: { kind: 'step', epochs: [1], factor: 4 } },
];

// Doubles from random bit patterns and across magnitudes, as hex bits (exact) and as JSON.stringify writes them.
let state = 12345;
const next32 = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
const view = new DataView(new ArrayBuffer(8));
const numbers: number[] = [0, 1, 2.5, 1e-5, 1e-6, 1e-7, 1.5e-7, 1e-4, 1e20, 1e21, 5e-324, 0.1 + 0.2, 1 / 3];
for (let i = 0; i < 2000; i++) {
  view.setUint32(0, next32());
  view.setUint32(4, next32());
  const x = view.getFloat64(0);
  if (Number.isFinite(x)) numbers.push(x);
  numbers.push(((next32() / 2 ** 32) * 2 - 1) * 10 ** ((next32() % 40) - 14));
}
const bits = (x: number) => (view.setFloat64(0, x), view.getBigUint64(0).toString(16).padStart(16, '0'));

const definitions = [];
for (const experiment of EXPERIMENTS) {
  for (const budget of ['quick', 'one-epoch', 'reference'] as const) {
    const definition = experiment.describe(budget);
    definitions.push({ definition, hash: await hashCanonical(definition), seeds: experiment.seeds });
  }
}

console.log(
  JSON.stringify({
    pixels: [...pixels],
    resized: {
      '32x32': [...(await tf.image.resizeBilinear(images, [32, 32]).data())],
      '20x17': [...(await tf.image.resizeBilinear(images, [20, 17]).data())],
    },
    augment: {
      cropPadding: 4,
      draws,
      images: [...(await augmentBatch(images, { cropPadding: 4, flip: true }, stream as never).data())],
    },
    rates: schedules.map((schedule) => ({
      schedule,
      rates: Array.from({ length: 40 }, (_, step) =>
        learningRateAt(schedule, 0.07, { step, stepsPerEpoch: 9 }),
      ),
    })),
    numbers: numbers.map((x) => [bits(x), JSON.stringify(x)]),
    definitions,
  }),
);
