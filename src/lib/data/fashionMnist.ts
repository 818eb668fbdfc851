import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { makeBatch, preprocessSchema, sequentialBatches, type Preprocess } from './batches.ts';
import type { ImageSet } from './imageSet.ts';
import { parseOptions } from '../options.ts';
import {
  concatImageSets,
  decodeShard,
  fetchShard,
  parseManifest,
  type ShardCache,
  type SplitManifest,
} from './shards.ts';

/** The ten Fashion-MNIST classes, in label order (Xiao et al. 2017, Table 1). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Mean and standard deviation of the Fashion-MNIST training pixels scaled to [0, 1]. */
export const FASHION_MNIST_STATS = { mean: 0.286, std: 0.353 } as const;

/** Labelled images split into train and test, with class names: what `train()` consumes. */
export interface ImageDataset {
  train: ImageSet;
  test: ImageSet;
  classNames: readonly string[];
  /** How batches are made from the bytes (size, channels, normalisation). */
  preprocess: Preprocess;
  /** Returns a whole split as tensors (x [n, h, w, c] preprocessed, labels [n] int32), kept until dispose(). */
  toTensors(split: 'train' | 'test', limit?: number): { x: tf.Tensor4D; labels: tf.Tensor1D };
  /** Disposes every tensor made by toTensors(). */
  dispose(): void;
}

/** Loading progress: bytes so far and in all (from the manifest). */
export interface LoadProgress {
  loaded: number;
  total: number;
}

/** Options of {@link loadFashionMnist}. */
export type LoadFashionMnistOptions = z.input<typeof optionsSchema>;

const optionsSchema = z
  .object({
    /** URL of the folder holding `manifest.json` (e.g. `${import.meta.env.BASE_URL}data/fashion-mnist/`). Required. */
    baseUrl: z.string({ error: 'a URL string' }).min(1, { error: 'a URL string' }),
    /** `lesson` (the default lesson-sized sample, e.g. 10k/2k) or `full` (60k/10k, written by `reslab data prepare --full`). Default `lesson`. */
    subset: z.enum(['lesson', 'full'], { error: 'one of lesson, full' }).default('lesson'),
    /** Keeps only the first N training images of the subset (it is already shuffled and stratified). Default: all. */
    trainSize: z.number().int().positive({ error: 'a positive integer' }).optional(),
    /** Keeps only the first N test images. Default: all. */
    testSize: z.number().int().positive({ error: 'a positive integer' }).optional(),
    /** Normalisation after scaling to [0, 1]: `none`, or `standardize` with the dataset's mean and std. Default `none`. */
    normalize: z.enum(['none', 'standardize'], { error: 'one of none, standardize' }).default('none'),
    /** Resizes every batch to this side length (the seed articles use 96 or 224). Default 28 (no resize). */
    imageSize: z
      .number()
      .int()
      .min(8, { error: 'an integer from 8 to 512' })
      .max(512, { error: 'an integer from 8 to 512' })
      .optional(),
    /** 1 (grayscale) or 3 (repeated, for ImageNet-style stems). Default 1. */
    channels: z.union([z.literal(1), z.literal(3)], { error: '1 or 3' }).optional(),
    /** Called as shard bytes arrive. */
    onProgress: z
      .custom<(p: LoadProgress) => void>((v) => typeof v === 'function', { error: 'a function' })
      .optional(),
    /** The fetch to use. Default `globalThis.fetch`. */
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function', { error: 'a function' }).optional(),
    /** Cache for shards (and the manifest, for offline visits). Default: Cache API `reslab-data` when available; null for none. */
    cache: z
      .custom<ShardCache | null>((v) => v === null || typeof v === 'object', { error: 'a Cache or null' })
      .optional(),
  })
  .strict();

/**
 * Loads Fashion-MNIST from the shards `reslab data prepare` wrote: fetches the manifest and the
 * subset's shards (from the cache when a verified copy is there), verifies SHA-256 checksums, and
 * returns the splits as bytes plus how to preprocess batches on the device.
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions): Promise<ImageDataset> {
  const o = parseOptions(optionsSchema, options, 'loadFashionMnist option');
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const cache = o.cache !== undefined ? o.cache : await openDefaultCache();
  const base = o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`;
  const manifest = parseManifest(await fetchManifest(`${base}manifest.json`, doFetch, cache));
  const subset = manifest.subsets[o.subset];
  if (!subset) {
    const available = Object.keys(manifest.subsets).join(', ');
    const hint = o.subset === 'full' ? ' (write it with `reslab data prepare --full`)' : '';
    throw new Error(`invalid subset: "${o.subset}" (expected one of ${available})${hint}`);
  }
  const total = [...subset.train.shards, ...subset.test.shards].reduce((n, s) => n + s.bytes, 0);
  let loaded = 0;
  const onBytes = (bytes: number): void => {
    loaded += bytes;
    o.onProgress?.({ loaded: Math.min(loaded, total), total });
  };
  const loadSplit = async (split: SplitManifest, limit?: number): Promise<ImageSet> => {
    const sets: ImageSet[] = [];
    let have = 0;
    for (const shard of split.shards) {
      if (limit !== undefined && have >= limit) break;
      const payload = await fetchShard(new URL(shard.file, absolute(base)).href, shard, {
        fetch: doFetch,
        cache,
        onBytes,
      });
      sets.push(decodeShard(payload, shard.count, manifest.imageShape, shard.file));
      have += shard.count;
    }
    const set = concatImageSets(sets);
    return limit !== undefined && limit < set.count ? truncate(set, limit) : set;
  };
  const train = await loadSplit(subset.train, o.trainSize);
  const test = await loadSplit(subset.test, o.testSize);
  o.onProgress?.({ loaded: total, total });
  const preprocess: Preprocess = parseOptions(
    preprocessSchema,
    {
      ...(o.imageSize !== undefined && o.imageSize !== manifest.imageShape[0] ? { size: o.imageSize } : {}),
      ...(o.channels !== undefined ? { channels: o.channels } : {}),
      ...(o.normalize === 'standardize' ? FASHION_MNIST_STATS : {}),
    },
    'preprocess option',
  );
  return createImageDataset(train, test, manifest.classNames, preprocess);
}

/** Wraps two splits, class names and a preprocess as an {@link ImageDataset}. */
export function createImageDataset(
  train: ImageSet,
  test: ImageSet,
  classNames: readonly string[],
  preprocess: Preprocess = {},
): ImageDataset {
  const made: tf.Tensor[] = [];
  return {
    train,
    test,
    classNames,
    preprocess,
    toTensors(split, limit) {
      const set = split === 'train' ? train : test;
      const n = Math.min(limit ?? set.count, set.count);
      const parts = sequentialBatches(n, 1024).map((indices) => makeBatch(set, indices, { preprocess }));
      const x = tf.concat(parts.map((p) => p.x)) as tf.Tensor4D;
      const labels = tf.concat(parts.map((p) => p.labels)) as tf.Tensor1D;
      for (const p of parts) tf.dispose([p.x, p.labels]);
      made.push(x, labels);
      return { x, labels };
    },
    dispose() {
      tf.dispose(made.splice(0));
    },
  };
}

function truncate(set: ImageSet, n: number): ImageSet {
  const size = set.height * set.width * set.channels;
  return { ...set, images: set.images.subarray(0, n * size), labels: set.labels.subarray(0, n), count: n };
}

// Network first, so a re-prepared dataset is seen at once; the cached copy makes a second visit work offline.
async function fetchManifest(url: string, doFetch: typeof fetch, cache: ShardCache | null): Promise<unknown> {
  let networkError: Error | undefined;
  try {
    const response = await doFetch(url, { cache: 'no-cache' });
    if (response.ok) {
      const text = await response.text();
      const parsed = parseJson(text, url);
      if (cache)
        await cache.put(url, new Response(text, { headers: { 'content-type': 'application/json' } }));
      return parsed;
    }
    networkError = new Error(`HTTP ${response.status}`);
  } catch (error) {
    networkError = error as Error;
  }
  const cached = cache ? await cache.match(url) : undefined;
  if (cached) return parseJson(await cached.text(), url);
  throw new Error(
    `could not load the Fashion-MNIST manifest from ${url}: ${networkError?.message} ` +
      '(has `reslab data prepare` been run, and is the page online?)',
  );
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `invalid manifest at ${url}: not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`,
    );
  }
}

function absolute(base: string): string {
  return /^[a-z]+:/i.test(base) ? base : new URL(base, globalThis.location?.href ?? 'http://localhost/').href;
}

async function openDefaultCache(): Promise<ShardCache | null> {
  if (typeof caches === 'undefined') return null;
  try {
    const cache = await caches.open('reslab-data');
    return {
      match: (url) => cache.match(url),
      put: (url, response) => cache.put(url, response),
      delete: (url) => cache.delete(url),
    };
  } catch {
    return null; // Cache API present but refused (e.g. opaque origins, some private modes): load without it.
  }
}
