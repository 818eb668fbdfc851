import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ABORTED, raceAbort } from '../../../src/lib/train/abortable.ts';
import { classify } from '../../../src/lib/train/classify.ts';
import { compare } from '../../../src/lib/train/compare.ts';
import { compareGradients, computeGradients } from '../../../src/lib/train/gradients.ts';
import { train } from '../../../src/lib/train/train.ts';
import { buildMlp, buildTinyConvNet, collect, quadrantImages } from './fixtures.ts';

beforeAll(() => tf.setBackend('cpu'));

const data = { train: quadrantImages(64), test: quadrantImages(16, 2) };

describe('run info', () => {
  it('train() describes its model, seed and plain options, leaving out the signal and functions', () => {
    const model = buildTinyConvNet(1);
    model.name = 'tiny';
    const run = train(model, data, {
      epochs: 2,
      seed: 7,
      signal: new AbortController().signal,
      augment: { flip: true },
      onBatch: () => {},
    });
    expect(run.info).toEqual({
      model: 'tiny',
      seed: 7,
      options: { epochs: 2, seed: 7, augment: { flip: true } },
    });
    model.dispose();
  });

  it('validates options when the first record is asked for, not when the run is made', async () => {
    const model = buildTinyConvNet(1);
    const run = train(model, data, { epochs: -1 });
    await expect(run.next()).rejects.toThrow(/invalid epochs: -1/);
    model.dispose();
  });

  it('compare() lists its variants and takes the model name from the first one built', async () => {
    const run = compare(
      [1, 2].map((seed) => ({
        name: `v${seed}`,
        build: () => Object.assign(buildTinyConvNet(seed), { name: `net${seed}` }),
      })),
      data,
      { batchSize: 32 },
    );
    expect(run.info).toMatchObject({ model: '', variants: ['v1', 'v2'], seed: 0 });
    await collect(run);
    expect(run.info.model).toBe('net1');
  });
});

describe('computeGradients', () => {
  it('matches a finite difference of the loss (MLP, float64 not needed at this step size)', async () => {
    const model = buildMlp(1, 8, 16, 4);
    const indices = [0, 1, 2, 3, 4, 5, 6, 7];
    const grads = await computeGradients(model, data.train, indices);
    expect(grads.map((g) => g.name)).toEqual(model.trainableWeights.map((w) => w.originalName));
    const lossOf = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(
          indices.flatMap((i) => Array.from(data.train.images.subarray(i * 64, i * 64 + 64), (v) => v / 255)),
          [8, 8, 8, 1],
        );
        const labels = tf.oneHot(
          tf.tensor1d(
            indices.map((i) => data.train.labels[i]),
            'int32',
          ),
          4,
        );
        return tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor).dataSync()[0];
      });
    // The output bias: its gradient is large and the loss is smooth in it.
    const bias = model.trainableWeights[3].read() as tf.Variable;
    const original = bias.dataSync().slice();
    const eps = 1e-2;
    const shifted = (delta: number) => {
      const values = original.slice();
      values[1] += delta;
      bias.assign(tf.tensor1d(values));
      return lossOf();
    };
    const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
    bias.assign(tf.tensor1d(original));
    expect(grads[3].values[1]).toBeCloseTo(numeric, 3);
    expect(grads[3].norm).toBeGreaterThan(0);
    model.dispose();
  });

  it('compareGradients is 0 for equal gradients and finds the worst weight', async () => {
    const model = buildTinyConvNet(2);
    const a = await computeGradients(model, data.train, [0, 1, 2, 3], { training: false });
    const b = a.map((g, i) =>
      i === 1 ? { ...g, values: g.values.map((v) => v * 1.01), norm: g.norm * 1.01 } : g,
    );
    expect(compareGradients(a, a).worst).toBe(0);
    const { worst, weight } = compareGradients(a, b);
    expect(weight).toBe(a[1].name);
    expect(worst).toBeCloseTo(0.01 / 1.01, 6);
    model.dispose();
  });
});

describe('classify', () => {
  it('returns softmax probabilities per class, the argmax, and the label of a dataset image', async () => {
    const model = buildTinyConvNet(3);
    const names = ['top left', 'top right', 'bottom left', 'bottom right'];
    const result = await classify(model, { set: data.test, index: 5 }, { classNames: names });
    const sum = result.probabilities.reduce((s, p) => s + p.probability, 0);
    expect(sum).toBeCloseTo(1, 5);
    const best = Math.max(...result.probabilities.map((p) => p.probability));
    expect(result.probabilities[result.predicted].probability).toBe(best);
    expect(result).toMatchObject({ kind: 'classification', label: 1, labelName: 'top right' });
    expect(result.predictedName).toBe(names[result.predicted]);
    // The same pixels as a tensor give the same probabilities.
    const pixels = tf.tensor3d(
      Array.from(data.test.images.subarray(5 * 64, 6 * 64), (v) => v / 255),
      [8, 8, 1],
    );
    const again = await classify(model, pixels, { classNames: names });
    again.probabilities.forEach((p, i) =>
      expect(p.probability).toBeCloseTo(result.probabilities[i].probability, 6),
    );
    expect(again.label).toBeUndefined();
    await expect(classify(model, { set: data.test, index: 99 })).rejects.toThrow(
      'invalid index: 99 (expected 0 to 15)',
    );
    pixels.dispose();
    model.dispose();
  });
});

describe('raceAbort', () => {
  it('stops waiting for a read-back that never settles once the signal aborts', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const raced = raceAbort(never, controller.signal);
    controller.abort();
    expect(await raced).toBe(ABORTED);
    expect(await raceAbort(Promise.resolve(3), controller.signal)).toBe(ABORTED);
    expect(await raceAbort(Promise.resolve(3), new AbortController().signal)).toBe(3);
    await expect(raceAbort(Promise.reject(new Error('lost')), new AbortController().signal)).rejects.toThrow(
      'lost',
    );
  });
});
