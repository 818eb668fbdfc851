import { countByClass, selectImages, type ImageSet } from './imageSet.ts';
import { encodeShard, sha256Hex, type SplitManifest } from './shards.ts';
import { stratifiedSample } from './split.ts';

/** A shard file to write: its name and its stored bytes (compressed). */
export interface PreparedFile {
  file: string;
  bytes: Uint8Array;
}

/** Options of {@link prepareSubset}. */
export interface PrepareSubsetOptions {
  /** Training images to keep (a stratified, seeded sample). Default: all. */
  trainSize?: number;
  /** Test images to keep. Default: all. */
  testSize?: number;
  /** Seed of the sample and its order. Default 0. */
  seed?: number;
  /** Images per shard file. Default 10000 (7.8 MB before gzip at 28×28). */
  shardImages?: number;
  /** Compresses a payload for storage (the CLI passes gzip). */
  compress: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

/**
 * Cuts a subset out of a dataset's train and test images (stratified, seeded, shuffled), splits it
 * into shards and returns the manifest entry and the files. Shard names are `<name>-<split>-<i>.bin.gz`.
 */
export async function prepareSubset(
  name: string,
  train: ImageSet,
  test: ImageSet,
  classes: number,
  options: PrepareSubsetOptions,
): Promise<{ subset: { seed: number; train: SplitManifest; test: SplitManifest }; files: PreparedFile[] }> {
  const seed = options.seed ?? 0;
  const files: PreparedFile[] = [];
  const prepareSplit = async (
    split: 'train' | 'test',
    set: ImageSet,
    size: number | undefined,
  ): Promise<SplitManifest> => {
    const sample = selectImages(set, stratifiedSample(set.labels, size ?? set.count, seed));
    const perShard = options.shardImages ?? 10_000;
    const shards: SplitManifest['shards'] = [];
    for (let start = 0, i = 0; start < sample.count; start += perShard, i++) {
      const indices = Array.from({ length: Math.min(perShard, sample.count - start) }, (_, k) => start + k);
      const part = selectImages(sample, indices);
      const payload = encodeShard(part.labels, part.images);
      const bytes = await options.compress(payload);
      const file = `${name}-${split}-${i}.bin.gz`;
      files.push({ file, bytes });
      shards.push({ file, count: part.count, bytes: bytes.length, sha256: await sha256Hex(payload) });
    }
    return { count: sample.count, classCounts: countByClass(sample.labels, classes), shards };
  };
  const trainSplit = await prepareSplit('train', train, options.trainSize);
  const testSplit = await prepareSplit('test', test, options.testSize);
  return { subset: { seed, train: trainSplit, test: testSplit }, files };
}
