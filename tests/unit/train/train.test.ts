import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from '../../../src/lib/train/train.ts';
import type { EpochRecord, StepRecord, TrainRecord } from '../../../src/lib/train/types.ts';
import { buildTinyConvNet, collect, quadrantImages } from './fixtures.ts';

beforeAll(() => tf.setBackend('cpu'));

const data = { train: quadrantImages(256), test: quadrantImages(64, 2) };
const steps = (records: TrainRecord[]) => records.filter((r): r is StepRecord => r.kind === 'step');

describe('train', () => {
  it('lowers the loss on a tiny learnable task and updates BN moving statistics', async () => {
    const model = buildTinyConvNet(1);
    const movingMean = () => Array.from(model.getLayer('bn1').getWeights()[2].dataSync());
    const before = movingMean();
    const records = await collect(
      train(model, data, { epochs: 2, batchSize: 16, logEvery: 4, learningRate: 0.02 }),
    );
    const losses = steps(records).map((r) => r.loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.5);
    const epochs = records.filter((r): r is EpochRecord => r.kind === 'epoch');
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 16],
      [2, 32],
    ]);
    expect(epochs[1].testAccuracy!).toBeGreaterThan(0.9);
    expect(records.at(-1)).toMatchObject({
      kind: 'done',
      reason: 'completed',
      best: { epoch: expect.any(Number) },
    });
    expect(steps(records)[0]).toMatchObject({ step: 4, epoch: 1, totalSteps: 32 });
    expect(movingMean()).not.toEqual(before);
    model.dispose();
  });

  it('gives identical losses for the same seed and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const model = buildTinyConvNet(3);
      const records = await collect(
        train(model, data, {
          epochs: 1,
          batchSize: 16,
          logEvery: 2,
          seed,
          augment: { flip: true, cropPadding: 1 },
        }),
      );
      model.dispose();
      return steps(records).map((r) => r.loss);
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('stops within one step of an abort and says so', async () => {
    const model = buildTinyConvNet(1);
    const controller = new AbortController();
    let batches = 0;
    const records: TrainRecord[] = [];
    for await (const record of train(model, data, {
      epochs: 5,
      batchSize: 16,
      logEvery: 1,
      signal: controller.signal,
      onBatch: () => batches++,
    })) {
      records.push(record);
      if (record.kind === 'step' && record.step === 3) controller.abort();
    }
    expect(batches).toBe(3);
    expect(records.at(-1)).toMatchObject({
      kind: 'done',
      reason: 'aborted',
      message: 'stopped at step 3 of 80',
    });
    model.dispose();
  });

  it('stops on an abort fired from outside while steps run without read-backs', async () => {
    const model = buildTinyConvNet(1);
    const controller = new AbortController();
    let batches = 0;
    const onBatch = () => {
      if (++batches === 5) setImmediate(() => controller.abort());
    };
    const records = await collect(
      train(model, data, { epochs: 5, batchSize: 16, logEvery: 1000, signal: controller.signal, onBatch }),
    );
    expect(batches).toBeLessThanOrEqual(6);
    expect(records.at(-1)).toMatchObject({ kind: 'done', reason: 'aborted' });
    model.dispose();
  });

  it('keeps the tensor count flat: the same after 1 and after 20 steps, and back to the start after the run', async () => {
    const model = buildTinyConvNet(1);
    const start = tf.memory().numTensors;
    const counts = new Map<number, number>();
    const onBatch = ({ step }: { step: number }) => counts.set(step, tf.memory().numTensors);
    // onBatch runs before a step: the count at step 2 is the count after 1 step, at step 21 after 20.
    await collect(
      train(model, data, {
        epochs: 2,
        batchSize: 8,
        logEvery: 5,
        weightDecay: 1e-3,
        onBatch,
        augment: { flip: true },
      }),
    );
    expect(counts.get(21)).toBe(counts.get(2));
    expect(counts.get(40)).toBe(counts.get(2)); // across the epoch boundary and its evaluation
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });

  it('reports divergence with a message instead of training on NaN', async () => {
    // Weights of 1e38 overflow float32 in the first forward pass, so the loss is NaN from step 1.
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [8, 8, 1] }),
        tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.constant({ value: 1e38 }) }),
      ],
    });
    const records = await collect(
      train(model, data, { epochs: 3, batchSize: 16, logEvery: 2, learningRate: 10 }),
    );
    expect(steps(records)).toEqual([]);
    const done = records.at(-1)!;
    expect(done).toMatchObject({ kind: 'done', reason: 'diverged' });
    expect((done as { message: string }).message).toMatch(
      /loss became (NaN|Infinity|-Infinity) by step \d+ \(epoch \d\); try a lower learning rate than 10/,
    );
    model.dispose();
  });

  it('validates options and data at the boundary', async () => {
    const model = buildTinyConvNet(1);
    await expect(collect(train(model, data, { optimizer: 'rmsprop' as 'sgd' }))).rejects.toThrow(
      'invalid optimizer: "rmsprop" (expected one of sgd, adam)',
    );
    await expect(collect(train(model, data, { batchSize: 0 }))).rejects.toThrow(
      'invalid batchSize: 0 (expected a positive integer)',
    );
    await expect(collect(train(model, data, { batchSize: 512 }))).rejects.toThrow(
      'invalid batchSize: 512 (expected at most 256, the number of training images)',
    );
    await expect(collect(train(model, data, { learningRate: -1 }))).rejects.toThrow(
      'invalid learningRate: -1 (expected a positive number)',
    );
    await expect(collect(train(model, data, { epochz: 1 } as object))).rejects.toThrow(
      /invalid train option: "epochz" \(expected one of epochs, batchSize/,
    );
    await expect(collect(train(buildTinyConvNet(1, 2), data))).rejects.toThrow(
      'invalid labels: class 3 (the model has 2 outputs)',
    );
    model.dispose();
  });

  it('trains with Adam and a softmax output', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [8, 8, 1] }),
        tf.layers.dense({
          units: 4,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      ],
    });
    const records = await collect(
      train(model, data, { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.01 }),
    );
    const last = records.filter((r): r is EpochRecord => r.kind === 'epoch').at(-1)!;
    expect(last.testAccuracy!).toBeGreaterThan(0.9);
    model.dispose();
  });
});
