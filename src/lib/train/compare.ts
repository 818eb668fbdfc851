import type * as tf from '@tensorflow/tfjs';
import { describeRun, train } from './train.ts';
import type { TrainOptions } from './trainOptions.ts';
import type { RunInfo, TrainData, TrainRecord, TrainRun } from './types.ts';

/** A variant to compare: a name for the records and a builder that takes the weight seed. */
export interface Variant {
  name: string;
  build: (seed: number) => tf.LayersModel;
}

/** Options of {@link compare}: training options, plus who keeps the trained models. */
export interface CompareOptions extends TrainOptions {
  /** Receives each trained model (the caller then owns it). Default: models are disposed after training. */
  onTrained?: (name: string, model: tf.LayersModel) => void;
}

/**
 * Trains variants one after another on equal terms: each model is built with the same seed and
 * trained on the same data in the same order with the same augmentation (the data order depends
 * only on `seed` and the epoch). Records carry the variant's name. A diverged variant is a result
 * (the papers report "fail"), so the next variant still runs; an abort stops them all.
 */
export function compare(variants: Variant[], data: TrainData, options: CompareOptions = {}): TrainRun {
  const info: RunInfo = { ...describeRun('', options), variants: variants.map((v) => v.name) };
  return Object.assign(compareRecords(variants, data, options, info), { info });
}

async function* compareRecords(
  variants: Variant[],
  data: TrainData,
  options: CompareOptions,
  info: RunInfo,
): AsyncGenerator<TrainRecord> {
  const names = variants.map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (variants.length === 0) throw new Error('invalid variants: [] (expected at least one { name, build })');
  if (duplicate !== undefined)
    throw new Error(`invalid variants: name ${JSON.stringify(duplicate)} twice (expected unique names)`);
  const { onTrained, ...trainOptions } = options;
  const seed = trainOptions.seed ?? 0;
  for (const variant of variants) {
    if (trainOptions.signal?.aborted) return;
    const model = variant.build(seed);
    info.model ||= model.name;
    let handedOver = false;
    try {
      for await (const record of train(model, data, trainOptions)) {
        yield { ...record, variant: variant.name };
        if (record.kind === 'done' && record.reason === 'aborted') return;
      }
      if (onTrained) {
        onTrained(variant.name, model);
        handedOver = true;
      }
    } finally {
      if (!handedOver) model.dispose();
    }
  }
}
