export { augmentBatch, augmentSchema, isAugmenting, type AugmentOptions } from './augment.ts';
export {
  epochBatches,
  makeBatch,
  preprocessImages,
  preprocessSchema,
  preprocessSize,
  sequentialBatches,
  type Batch,
  type MakeBatchOptions,
  type Preprocess,
} from './batches.ts';
export {
  createImageDataset,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_STATS,
  loadFashionMnist,
  type ImageDataset,
  type LoadFashionMnistOptions,
  type LoadProgress,
} from './fashionMnist.ts';
export { gunzip, isGzip, maybeGunzip } from './gzip.ts';
export { encodeIdx, parseIdx, parseIdxPair, type IdxArray, type IdxImages } from './idx.ts';
export {
  classifyPaths,
  decodeWithCanvas,
  loadImageFolder,
  type DecodedImage,
  type ImageDecoder,
  type ImageFileEntry,
  type ImageFolderOptions,
  type ImageFolderResult,
  type SkippedFile,
} from './imageFolder.ts';
export { countByClass, createImageSet, selectImages, type ImageSet } from './imageSet.ts';
export { prepareSubset, type PreparedFile, type PrepareSubsetOptions } from './prepare.ts';
export { createRandom, deriveSeed, shuffledIndices, shuffleInPlace, type Random } from './random.ts';
export {
  concatImageSets,
  decodeShard,
  encodeShard,
  fetchShard,
  parseManifest,
  sha256Hex,
  SHARD_FORMAT,
  type FetchShardOptions,
  type ShardCache,
  type ShardEntry,
  type ShardManifest,
  type SplitManifest,
} from './shards.ts';
export { stratifiedSample, stratifiedSplit, type SplitIndices } from './split.ts';
