import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../../../src/lib/data/fashionMnist.ts';
import { createImageSet } from '../../../src/lib/data/imageSet.ts';
import { prepareSubset } from '../../../src/lib/data/prepare.ts';
import {
  decodeShard,
  encodeShard,
  fetchShard,
  sha256Hex,
  SHARD_FORMAT,
  type ShardCache,
} from '../../../src/lib/data/shards.ts';

beforeAll(() => tf.setBackend('cpu'));

const compress = (payload: Uint8Array): Uint8Array => new Uint8Array(gzipSync(payload));

/** A fake server: files by URL, counting requests, serving wrong bytes the first N times per file. */
function createServer(files: Record<string, Uint8Array | string>, corruptTimes: Record<string, number> = {}) {
  const requests: string[] = [];
  const fakeFetch = async (input: string | URL | Request): Promise<Response> => {
    const url = String(input);
    requests.push(url);
    const name = url.slice(url.lastIndexOf('/') + 1);
    const body = files[name];
    if (body === undefined) return new Response('not found', { status: 404, statusText: 'Not Found' });
    if ((corruptTimes[name] ?? 0) > 0) {
      corruptTimes[name]--;
      return new Response(compress(new Uint8Array(64)) as Uint8Array<ArrayBuffer>); // valid gzip, wrong content
    }
    return new Response(body as BodyInit);
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

function createCache(): ShardCache & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    async match(url) {
      const bytes = entries.get(url);
      return bytes ? new Response(bytes as BodyInit) : undefined;
    },
    async put(url, response) {
      entries.set(url, new Uint8Array(await response.arrayBuffer()));
    },
    async delete(url) {
      return entries.delete(url);
    },
  };
}

async function makeSite() {
  const pixels = (n: number) => Uint8Array.from({ length: n * 16 }, (_, i) => (i * 7) % 256);
  const train = createImageSet(
    pixels(40),
    Uint8Array.from({ length: 40 }, (_, i) => i % 4),
    { height: 4, width: 4, channels: 1 },
  );
  const test = createImageSet(
    pixels(12),
    Uint8Array.from({ length: 12 }, (_, i) => i % 4),
    { height: 4, width: 4, channels: 1 },
  );
  const { subset, files } = await prepareSubset('lesson', train, test, 4, {
    trainSize: 20,
    testSize: 8,
    shardImages: 8,
    compress,
  });
  const manifest = {
    format: SHARD_FORMAT,
    version: 1,
    dataset: 'toy',
    classNames: ['a', 'b', 'c', 'd'],
    imageShape: [4, 4, 1],
    subsets: { lesson: subset },
  };
  const site: Record<string, Uint8Array | string> = { 'manifest.json': JSON.stringify(manifest) };
  for (const f of files) site[f.file] = f.bytes;
  return { site, subset, train };
}

describe('shard payloads', () => {
  it('round-trip and reject a wrong length', () => {
    const labels = Uint8Array.from([1, 2]);
    const images = Uint8Array.from({ length: 8 }, (_, i) => i);
    const set = decodeShard(encodeShard(labels, images), 2, [2, 2, 1]);
    expect(Array.from(set.labels)).toEqual([1, 2]);
    expect(Array.from(set.images)).toEqual(Array.from(images));
    expect(() => decodeShard(encodeShard(labels, images), 3, [2, 2, 1], 'x.bin')).toThrow(
      'invalid x.bin: 10 bytes (expected 15 for 3 images of 2×2×1)',
    );
  });

  it('hashes with SHA-256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('fetchShard', () => {
  it('re-fetches once after a checksum mismatch, then succeeds', async () => {
    const { site, subset } = await makeSite();
    const shard = subset.train.shards[0];
    const server = createServer(site, { [shard.file]: 1 });
    const cache = createCache();
    const payload = await fetchShard(`http://x/${shard.file}`, shard, { fetch: server.fetch, cache });
    expect(await sha256Hex(payload)).toBe(shard.sha256);
    expect(server.requests).toHaveLength(2);
    expect(cache.entries.size).toBe(1);
  });

  it('fails with a clear message when the second copy is also wrong', async () => {
    const { site, subset } = await makeSite();
    const shard = subset.train.shards[0];
    const server = createServer(site, { [shard.file]: 2 });
    await expect(
      fetchShard(`http://x/${shard.file}`, shard, { fetch: server.fetch, cache: null }),
    ).rejects.toThrow(
      /checksum mismatch for lesson-train-0\.bin\.gz: got sha256 .*fetched again and still different/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('drops a corrupt cached copy and fetches once from the network', async () => {
    const { site, subset } = await makeSite();
    const shard = subset.train.shards[0];
    const server = createServer(site);
    const cache = createCache();
    const key = `http://x/${shard.file}?sha256=${shard.sha256}`;
    cache.entries.set(key, new Uint8Array([1, 2, 3]));
    await fetchShard(`http://x/${shard.file}`, shard, { fetch: server.fetch, cache });
    expect(server.requests).toHaveLength(1);
    expect(await sha256Hex(cache.entries.get(key)!)).toBe(shard.sha256);
    // Second load: served by the cache, no request.
    await fetchShard(`http://x/${shard.file}`, shard, { fetch: server.fetch, cache });
    expect(server.requests).toHaveLength(1);
  });
});

describe('loadFashionMnist', () => {
  it('loads a subset across shards with progress, and works offline from the cache', async () => {
    const { site, train } = await makeSite();
    const server = createServer(site);
    const cache = createCache();
    const progress: number[] = [];
    const data = await loadFashionMnist({
      baseUrl: 'http://site/data',
      fetch: server.fetch,
      cache,
      onProgress: (p) => progress.push(p.loaded / p.total),
    });
    expect([data.train.count, data.test.count]).toEqual([20, 8]);
    expect(data.classNames).toEqual(['a', 'b', 'c', 'd']);
    expect(progress.at(-1)).toBe(1);
    expect(server.requests.filter((u) => u.endsWith('.gz'))).toHaveLength(4); // 8+8+4 train, 8 test
    // Every image of the subset is one of the source images, with its label.
    const size = 16;
    const key = (set: typeof train, i: number) =>
      `${set.labels[i]}:${set.images.subarray(i * size, (i + 1) * size).join(',')}`;
    const source = new Set(Array.from({ length: train.count }, (_, i) => key(train, i)));
    expect(Array.from({ length: 20 }, (_, i) => source.has(key(data.train, i))).every(Boolean)).toBe(true);

    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const again = await loadFashionMnist({
      baseUrl: 'http://site/data/',
      fetch: offline,
      cache,
      trainSize: 10,
    });
    expect(again.train.count).toBe(10);
    const { x, labels } = again.toTensors('test');
    expect(x.shape).toEqual([8, 4, 4, 1]);
    expect(labels.dtype).toBe('int32');
    const before = tf.memory().numTensors;
    again.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
  });

  it('explains a missing manifest and a missing subset', async () => {
    const server = createServer({});
    await expect(
      loadFashionMnist({ baseUrl: 'http://site/', fetch: server.fetch, cache: null }),
    ).rejects.toThrow(
      /could not load the Fashion-MNIST manifest from http:\/\/site\/manifest.json: HTTP 404.*reslab data prepare/,
    );
    const { site } = await makeSite();
    await expect(
      loadFashionMnist({
        baseUrl: 'http://site/',
        subset: 'full',
        fetch: createServer(site).fetch,
        cache: null,
      }),
    ).rejects.toThrow(
      'invalid subset: "full" (expected one of lesson) (write it with `reslab data prepare --full`)',
    );
    await expect(loadFashionMnist({ baseUrl: 'http://site/', subset: 'all' as 'full' })).rejects.toThrow(
      'invalid subset: "all" (expected one of lesson, full)',
    );
  });
});
