import { loadFashionMnist, type ImageDataset, type LoadProgress } from '../data/fashionMnist.ts';
import { parseManifest } from '../data/shards.ts';
import type { Experiment } from './defineExperiment.ts';
import { FASHION_MNIST_SUBSETS, subsetChecksum } from './dataSubsets.ts';
import type { BudgetLike } from './types.ts';

/** Options of {@link loadExperimentData}. */
export interface LoadExperimentDataOptions {
  /** URL of the folder with `manifest.json` (a `file:` URL in Node). */
  baseUrl: string;
  /** The fetch to use (Node's cannot read `file:` URLs; the CLI passes one that reads files). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  onProgress?: (progress: LoadProgress) => void;
}

/**
 * Loads an experiment's images at a budget after checking that the prepared subset is the one the
 * definition names (its checksum); the loader then checks every shard against the manifest.
 */
export async function loadExperimentData(
  experiment: Experiment,
  budget: BudgetLike,
  options: LoadExperimentDataOptions,
): Promise<{ data: ImageDataset; checksum: string }> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const dataOptions = experiment.dataOptions(budget);
  const subset = dataOptions.subset ?? 'lesson';
  const response = await doFetch(`${base}manifest.json`);
  if (!response.ok) {
    throw new Error(
      `no Fashion-MNIST manifest at ${base} (HTTP ${response.status}): run \`reslab data prepare${subset === 'full' ? ' --full' : ''}\` first`,
    );
  }
  const manifest = parseManifest(JSON.parse(await response.text()));
  if (!manifest.subsets[subset]) {
    throw new Error(
      `invalid data: ${base} has no "${subset}" subset (write it with \`reslab data prepare${subset === 'full' ? ' --full' : ''}\`)`,
    );
  }
  const checksum = await subsetChecksum(manifest, subset);
  const expected = FASHION_MNIST_SUBSETS[subset].checksum;
  if (checksum !== expected) {
    throw new Error(
      `invalid data: the "${subset}" subset at ${base} has checksum ${checksum.slice(0, 12)}…, but the experiments are defined on ${expected.slice(0, 12)}… ` +
        '(prepare it again with `reslab data prepare` from the official Fashion-MNIST files)',
    );
  }
  const data = await loadFashionMnist({
    baseUrl: base,
    ...dataOptions,
    fetch: doFetch,
    cache: null,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { data, checksum };
}
