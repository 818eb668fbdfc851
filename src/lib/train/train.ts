import * as tf from '@tensorflow/tfjs';
import { epochBatches, makeBatch } from '../data/batches.ts';
import { createRandom, deriveSeed } from '../data/random.ts';
import { evaluate } from './evaluate.ts';
import { countClasses, countCorrect, outputKind, sumCrossEntropy } from './losses.ts';
import { addWeightDecay, createOptimizer, disposeOptimizer, setLearningRate } from './optimizers.ts';
import { learningRateAt } from './schedules.ts';
import { parseTrainOptions, type TrainOptions } from './trainOptions.ts';
import type { DoneRecord, RunInfo, TrainData, TrainRecord, TrainRun } from './types.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';
import { ABORTED, raceAbort } from './abortable.ts';

/**
 * Trains a model and yields plain-number records: a `step` record every `logEvery` steps, an `epoch`
 * record after each epoch (with test loss and accuracy when `data.test` is given), and one `done`
 * record (completed, aborted, or diverged). Stopping early (`break`, `return()`) disposes what the run
 * made; the model stays the caller's.
 *
 * Each step runs the model with `training: true` inside `tf.variableGrads`, so BatchNormalization
 * uses batch statistics and updates its moving mean and variance (tfjs-layers writes them as a side
 * effect of `call` in training mode), and dropout is active. Loss and accuracy are summed on the
 * device and read back only every `logEvery` steps. The returned run's `info` names the model, seed and
 * options (for views and saved results); options are validated when the first record is asked for.
 */
export function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): TrainRun {
  return Object.assign(trainRecords(model, data, options), {
    info: describeRun(model.name, options),
  });
}

/** The plain-JSON part of training options, for a run's description. */
export function describeRun(model: string, options: TrainOptions): RunInfo {
  const plain = Object.entries(options).filter(
    ([, value]) =>
      value === null || ['number', 'string', 'boolean'].includes(typeof value) || isPlainData(value),
  );
  return { model, seed: options.seed ?? 0, options: Object.fromEntries(plain) };
}

function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) return false;
  return Object.values(value).every(
    (v) => v === null || ['number', 'string', 'boolean'].includes(typeof v) || isPlainData(v),
  );
}

async function* trainRecords(
  model: tf.LayersModel,
  data: TrainData,
  options: TrainOptions = {},
): AsyncGenerator<TrainRecord> {
  const o = parseTrainOptions(options);
  const now = o.now ?? (() => performance.now());
  const pause = o.yieldToEventLoop ?? yieldToEventLoop;
  const set = data.train;
  if (set.count < o.batchSize) {
    throw new Error(
      `invalid batchSize: ${o.batchSize} (expected at most ${set.count}, the number of training images)`,
    );
  }
  const classes = countClasses(model);
  const largest = set.labels.reduce((a, b) => Math.max(a, b), 0);
  if (largest >= classes)
    throw new Error(`invalid labels: class ${largest} (the model has ${classes} outputs)`);
  const kind = outputKind(model);
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  const stepsPerEpoch = Math.floor(set.count / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const augmentRandom = createRandom(deriveSeed(o.seed, 'augment'));
  const optimizer = createOptimizer(o);
  const start = now();
  const elapsed = (): number => now() - start;

  // Epoch sums of the summed cross-entropy and of correct predictions, kept on the device. Each step
  // returns new sums from its tidy and disposes the old ones, so there are always exactly two.
  let lossSum: tf.Scalar = tf.scalar(0);
  let correctSum: tf.Scalar = tf.scalar(0);
  let best: DoneRecord['best'];
  let step = 0;
  const done = (reason: DoneRecord['reason'], message?: string): DoneRecord => ({
    kind: 'done',
    reason,
    ...(message ? { message } : {}),
    ...(best ? { best } : {}),
    elapsedMs: elapsed(),
  });

  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      let readLoss = 0; // sums at the previous read-back of this epoch
      let readCorrect = 0;
      let windowStart = now();
      let windowSteps = 0;
      let epochSteps = 0;
      for (const indices of epochBatches(set.count, o.batchSize, o.seed, epoch - 1)) {
        if (o.signal?.aborted) {
          yield done('aborted', `stopped at step ${step} of ${totalSteps}`);
          return;
        }
        const rate = learningRateAt(o.schedule, o.learningRate, { step, stepsPerEpoch });
        setLearningRate(optimizer, rate);
        o.onBatch?.({ epoch, step: step + 1, indices });
        const [nextLoss, nextCorrect] = tf.tidy(() => {
          const { x, labels } = makeBatch(set, indices, {
            preprocess: data.preprocess,
            augment: o.augment,
            random: augmentRandom,
          });
          // Kept inside the gradient scope (which disposes everything but the loss), so disposed below by hand.
          let batchLoss: tf.Scalar | undefined;
          let batchCorrect: tf.Scalar | undefined;
          const { grads } = tf.variableGrads(() => {
            const output = model.apply(x, { training: true }) as tf.Tensor; // [batch, classes]
            batchLoss = tf.keep(sumCrossEntropy(output, labels, classes, kind));
            batchCorrect = tf.keep(countCorrect(output, labels));
            let loss = tf.div(batchLoss, indices.length) as tf.Scalar;
            for (const penalty of model.calculateLosses()) loss = tf.add(loss, penalty); // kernel regularisers, as model.fit
            return loss;
          }, variables);
          optimizer.applyGradients(addWeightDecay(grads, weights, o.weightDecay));
          const sums = [tf.add(lossSum, batchLoss!), tf.add(correctSum, batchCorrect!)];
          tf.dispose([batchLoss!, batchCorrect!]);
          return sums as [tf.Scalar, tf.Scalar];
        });
        tf.dispose([lossSum, correctSum]);
        lossSum = nextLoss;
        correctSum = nextCorrect;
        step++;
        epochSteps++;
        windowSteps++;
        const endOfEpoch = epochSteps === stepsPerEpoch;
        if (windowSteps === o.logEvery || endOfEpoch) {
          // The only GPU→CPU read of the step loop: it waits for the queued steps to finish.
          const read = await raceAbort(Promise.all([lossSum.data(), correctSum.data()]), o.signal);
          if (read === ABORTED) {
            yield done('aborted', `stopped at step ${step} of ${totalSteps}`);
            return;
          }
          const [loss, correct] = read;
          const images = windowSteps * o.batchSize;
          const meanLoss = (loss[0] - readLoss) / images;
          if (!Number.isFinite(loss[0])) {
            yield done(
              'diverged',
              `loss became ${meanLoss} by step ${step} (epoch ${epoch}); try a lower learning rate than ${rate}`,
            );
            return;
          }
          const time = now();
          yield {
            kind: 'step',
            step,
            epoch,
            loss: meanLoss,
            accuracy: (correct[0] - readCorrect) / images,
            imagesPerSecond: (images * 1000) / Math.max(time - windowStart, 1e-3),
            elapsedMs: elapsed(),
            totalSteps,
          };
          [readLoss, readCorrect, windowSteps, windowStart] = [loss[0], correct[0], 0, now()];
        }
        // After every step, read-back or not: on wasm or the CPU a read-back resolves at once, so without
        // this the loop would hold the page (no repaint, no Stop) until training ends.
        await pause();
      }
      const images = stepsPerEpoch * o.batchSize;
      const [trainLoss, trainAccuracy] = [readLoss / images, readCorrect / images];
      tf.dispose([lossSum, correctSum]);
      [lossSum, correctSum] = [tf.scalar(0), tf.scalar(0)];
      let test: { loss: number; accuracy: number } | undefined;
      if (data.test && data.test.count > 0) {
        try {
          test = await evaluate(model, data.test, {
            batchSize: o.evaluateBatchSize,
            preprocess: data.preprocess,
            signal: o.signal,
          });
        } catch (error) {
          if (!o.signal?.aborted) throw error;
          yield done('aborted', `stopped while evaluating epoch ${epoch}`);
          return;
        }
      }
      yield {
        kind: 'epoch',
        epoch,
        step,
        trainLoss,
        trainAccuracy,
        ...(test ? { testLoss: test.loss, testAccuracy: test.accuracy } : {}),
        elapsedMs: elapsed(),
      };
      if (test && (!best || test.accuracy > best.testAccuracy)) best = { epoch, testAccuracy: test.accuracy };
    }
    yield done('completed');
  } finally {
    tf.dispose([lossSum, correctSum]);
    disposeOptimizer(optimizer); // its slot variables (momentum, Adam moments)
  }
}
