import type { ShardManifest } from '../data/shards.ts';
import { hashCanonical } from './canonical.ts';

/** A prepared Fashion-MNIST subset as the experiments know it: its size and its checksum. */
export interface DataSubset {
  train: number;
  test: number;
  /** {@link subsetChecksum} of the subset `reslab data prepare` writes from the official files. */
  checksum: string;
}

/**
 * The two subsets `reslab data prepare` writes (seed 0, stratified; `full` with `--full`). The checksums
 * are part of every experiment's definition, so new data (another sample, another source) changes the
 * definition hashes and the committed results are named for regeneration. Update them only on purpose.
 */
export const FASHION_MNIST_SUBSETS: Readonly<Record<'lesson' | 'full', DataSubset>> = {
  lesson: {
    train: 10_000,
    test: 2000,
    checksum: 'b2311a1520f544c7ebe0beee76fab0e038a293f78b2fa82e9fb1fe9ca65d9f5d',
  },
  full: {
    train: 60_000,
    test: 10_000,
    checksum: '4d33da90f274e95b0f9a7d8ebba63ad538bb3b586cfae3376c26475f26241e95',
  },
};

/**
 * Returns the checksum of a subset of a shard manifest: the SHA-256 of the canonical JSON of its image
 * shape, class names and, per split, each shard's image count and payload SHA-256, in order. The
 * loader checks every shard against its SHA-256, so this one digest pins every image and label.
 */
export function subsetChecksum(manifest: ShardManifest, subset: string): Promise<string> {
  const entry = manifest.subsets[subset];
  if (!entry) {
    const available = Object.keys(manifest.subsets).join(', ');
    throw new Error(`invalid subset: ${JSON.stringify(subset)} (the manifest has ${available})`);
  }
  const shards = (split: typeof entry.train) => split.shards.map(({ count, sha256 }) => ({ count, sha256 }));
  return hashCanonical({
    dataset: manifest.dataset,
    imageShape: manifest.imageShape,
    classNames: manifest.classNames,
    train: shards(entry.train),
    test: shards(entry.test),
  });
}
