import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileFetch } from '../../../src/cli/experiment.ts';
import { parseManifest } from '../../../src/lib/data/shards.ts';
import {
  FASHION_MNIST_SUBSETS,
  getExperiment,
  loadExperimentData,
  subsetChecksum,
} from '../../../src/lib/experiments/index.ts';
import { makeTempDir, prepareData } from './helpers.ts';

const temp = makeTempDir('reslab-experiment-data-');
beforeAll(async () => {
  await tf.setBackend('cpu');
  await prepareData(temp.dir, true);
}, 60_000);
afterAll(() => temp.remove());
const baseUrl = () => `${pathToFileURL(temp.dir).href}/`;

describe('experiment data', () => {
  it('pins the checksums of the subsets `reslab data prepare` writes from the official files', async () => {
    const manifest = parseManifest(JSON.parse(readFileSync(join(temp.dir, 'manifest.json'), 'utf8')));
    for (const subset of ['lesson', 'full'] as const) {
      expect(await subsetChecksum(manifest, subset), subset).toBe(FASHION_MNIST_SUBSETS[subset].checksum);
      expect([manifest.subsets[subset].train.count, manifest.subsets[subset].test.count]).toEqual([
        FASHION_MNIST_SUBSETS[subset].train,
        FASHION_MNIST_SUBSETS[subset].test,
      ]);
    }
  });

  it('loads an experiment’s images at a budget, as its dataOptions say', async () => {
    const { data, checksum } = await loadExperimentData(getExperiment('vgg-blocks'), 'quick', {
      baseUrl: baseUrl(),
      fetch: readFileFetch,
    });
    expect([data.train.count, data.test.count]).toEqual([32, 32]);
    expect(data.preprocess).toMatchObject({ size: 32 });
    expect(checksum).toBe(FASHION_MNIST_SUBSETS.lesson.checksum);
  });

  it('refuses data whose subset is not the one the definitions name', async () => {
    const fetchEdited: typeof fetch = async (input) => {
      const response = await readFileFetch(input);
      if (!String(input).endsWith('manifest.json')) return response;
      const manifest = JSON.parse(await response.text());
      manifest.subsets.lesson.test.shards[0].sha256 = '0'.repeat(64);
      return new Response(JSON.stringify(manifest));
    };
    await expect(
      loadExperimentData(getExperiment('vgg-blocks'), 'quick', { baseUrl: baseUrl(), fetch: fetchEdited }),
    ).rejects.toThrow(
      /invalid data: the "lesson" subset at .* has checksum [0-9a-f]{12}…, but the experiments are defined on b2311a1520f5…/,
    );
  });
});
