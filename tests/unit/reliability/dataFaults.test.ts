import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadImageFolder, type ImageDecoder } from '../../../src/lib/data/imageFolder.ts';
import { fetchShard, sha256Hex, type ShardEntry } from '../../../src/lib/data/shards.ts';

// Faults in the reader's data (issue 8): a damaged download and the reader's own image folder.

const payload = new Uint8Array(64).map((_, i) => i);

async function shardOf(bytes: Uint8Array): Promise<ShardEntry> {
  return { file: 'lesson-train-0.bin.gz', count: 1, bytes: bytes.length, sha256: await sha256Hex(bytes) };
}

/** A server that sends the listed bodies in turn and records each request's cache mode. */
function serve(...bodies: Uint8Array[]) {
  const modes: (RequestCache | undefined)[] = [];
  const fetch = (async (_url: string, init?: RequestInit) => {
    modes.push(init?.cache);
    return new Response(bodies[Math.min(modes.length - 1, bodies.length - 1)] as Uint8Array<ArrayBuffer>);
  }) as typeof globalThis.fetch;
  return { fetch, modes };
}

const damaged = () => {
  const gzip = new Uint8Array(gzipSync(payload));
  gzip[gzip.length - 6] ^= 0xff; // the CRC no longer matches: gunzip fails
  return gzip;
};

describe('a damaged shard download', () => {
  it('is fetched once more, bypassing the HTTP cache, and a good copy is used', async () => {
    const server = serve(damaged(), new Uint8Array(gzipSync(payload)));
    const result = await fetchShard('http://x/lesson-train-0.bin.gz', await shardOf(payload), {
      fetch: server.fetch,
      cache: null,
    });
    expect(result).toEqual(payload);
    expect(server.modes).toEqual(['default', 'reload']);
  });

  it('fails with a clear message when the second copy is damaged too', async () => {
    const server = serve(damaged());
    await expect(
      fetchShard('http://x/lesson-train-0.bin.gz', await shardOf(payload), {
        fetch: server.fetch,
        cache: null,
      }),
    ).rejects.toThrow(/^checksum mismatch for lesson-train-0\.bin\.gz: .*fetched again and still different/);
    expect(server.modes).toHaveLength(2);
  });
});

const decode: ImageDecoder = async (data, { width, height }) => {
  if ((data as Uint8Array)[0] === 0) throw new Error('not decodable');
  return { width, height, data: new Uint8Array(width * height * 4).fill(128) };
};
const image = Uint8Array.of(1);

describe('your own images', () => {
  it('skips a non-image file and says so', async () => {
    const { dataset, message } = await loadImageFolder(
      [
        { path: 'pets/cat/1.png', data: image },
        { path: 'pets/cat/2.png', data: image },
        { path: 'pets/dog/1.png', data: image },
        { path: 'pets/dog/2.png', data: image },
        { path: 'pets/dog/readme.pdf', data: image },
        { path: 'pets/dog/fake.png', data: Uint8Array.of(0) },
      ],
      { size: 2, decode },
    );
    expect(dataset.classNames).toEqual(['cat', 'dog']);
    expect(message).toMatch(/skipped 2 files: 1 not an image, 1 unreadable image\.$/);
  });

  it('rejects a class folder with no images in it, naming the folder', async () => {
    const entries = [
      { path: 'pets/cat/1.png', data: image },
      { path: 'pets/dog/1.png', data: image },
      { path: 'pets/fox/notes.txt', data: image }, // the fox folder holds no image
    ];
    await expect(loadImageFolder(entries, { size: 2, decode })).rejects.toThrow(
      /^invalid image folder: class "fox" has no readable images \(expected at least one image per class folder\); skipped 1 file: 1 not an image/,
    );
  });

  it('rejects an empty selection', async () => {
    await expect(loadImageFolder([], { size: 2, decode })).rejects.toThrow(/invalid image folder/);
  });
});
