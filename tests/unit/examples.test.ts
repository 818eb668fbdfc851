import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { encodePng, EXAMPLE_CLASSES, runExamplesCommand, selectExamples } from '../../src/cli/examples.ts';
import {
  describeEntries,
  entriesFromFiles,
  loadExampleImages,
} from '../../src/cells/display/folderPicker.ts';
import { createImageSet } from '../../src/lib/data/imageSet.ts';
import { encodeShard } from '../../src/lib/data/shards.ts';

/** Reads a PNG's chunks, checking each CRC with node:zlib's crc32 (an independent implementation). */
function readChunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    chunks.push({ type, data });
    offset += 12 + length;
  }
  return chunks;
}

describe('encodePng', () => {
  test('writes IHDR, IDAT and IEND whose pixels inflate back to the input rows', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const chunks = readChunks(encodePng(pixels, 5, 3));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const header = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
    expect([header.getUint32(0), header.getUint32(4), ...chunks[0].data.subarray(8)]).toEqual([
      5, 3, 8, 0, 0, 0, 0,
    ]);
    const raw = inflateSync(chunks[1].data);
    // Each row: filter byte 0, then the row's pixels.
    expect([...raw]).toEqual([
      0,
      ...pixels.subarray(0, 5),
      0,
      ...pixels.subarray(5, 10),
      0,
      ...pixels.subarray(10),
    ]);
  });

  test('writes RGB as colour type 2 and rejects a pixel count that does not fit the size', () => {
    const chunks = readChunks(encodePng(new Uint8Array(2 * 2 * 3), 2, 2, 3));
    expect(chunks[0].data[9]).toBe(2);
    expect(() => encodePng(new Uint8Array(5), 2, 2)).toThrow(
      /invalid pixels: 5 bytes \(expected 2×2×1 = 4\)/,
    );
  });
});

describe('selectExamples', () => {
  test('takes the first N images of each example class, in order', () => {
    const labels = Uint8Array.from([1, 8, 5, 1, 5, 8, 1, 0]);
    const images = Uint8Array.from(labels, (_, i) => i); // one 1×1 pixel per image, its index
    const picked = selectExamples(createImageSet(images, labels, { height: 1, width: 1, channels: 1 }), 2);
    expect(picked.map((p) => [p.folder, p.pixels.map((x) => x[0])])).toEqual([
      ['trouser', [0, 3]],
      ['sandal', [2, 4]],
      ['bag', [1, 5]],
    ]);
    expect(() =>
      selectExamples(createImageSet(images, labels, { height: 1, width: 1, channels: 1 }), 3),
    ).toThrow(/only 2 images of class 5/);
  });
});

describe('runExamplesCommand', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test('writes one folder per class with PNGs and an index.json that lists them', () => {
    const source = mkdtempSync(join(tmpdir(), 'reslab-examples-src-'));
    const out = join(mkdtempSync(join(tmpdir(), 'reslab-examples-out-')), 'example-images');
    dirs.push(source, out);
    const labels = Uint8Array.from({ length: 30 }, (_, i) => EXAMPLE_CLASSES[i % 3].label);
    const images = new Uint8Array(30 * 4 * 4).map((_, i) => i % 251);
    const shard = gzipSync(encodeShard(labels, images));
    writeFileSync(join(source, 'test-0.bin.gz'), shard);
    const shardEntry = { file: 'test-0.bin.gz', count: 30, bytes: shard.length, sha256: '0'.repeat(64) };
    const split = { count: 30, classCounts: [0, 10, 0, 0, 0, 10, 0, 0, 10, 0], shards: [shardEntry] };
    writeFileSync(
      join(source, 'manifest.json'),
      JSON.stringify({
        format: 'reslab-image-shards',
        version: 1,
        dataset: 'fashion-mnist',
        classNames: Array.from({ length: 10 }, (_, i) => `class ${i}`),
        imageShape: [4, 4, 1],
        source: 'test',
        subsets: { lesson: { seed: 0, train: split, test: split } },
      }),
    );
    const log: string[] = [];
    const code = runExamplesCommand(['--source', source, '--out', out, '--per-class', '3'], {
      log: (line) => log.push(line),
      error: (line) => log.push(line),
    });
    expect(log).toEqual([`Wrote 9 example images in 3 classes to ${out}`]);
    expect(code).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.classes).toEqual(['trouser', 'sandal', 'bag']);
    expect(index.files).toEqual(
      ['trouser', 'sandal', 'bag'].flatMap((c) => [1, 2, 3].map((i) => `${c}/00${i}.png`)),
    );
    expect(readdirSync(join(out, 'sandal')).sort()).toEqual(['001.png', '002.png', '003.png']);
    // The second sandal image is image 4 of the shard (labels cycle trouser, sandal, bag).
    const idat = readChunks(readFileSync(join(out, 'sandal/002.png'))).find((c) => c.type === 'IDAT')!;
    const rows = inflateSync(idat.data);
    expect([...rows.subarray(1, 5)]).toEqual([...images.subarray(4 * 16, 4 * 16 + 4)]);
  });

  test('says what is wrong when the shards are missing or an option is bad', () => {
    const errors: string[] = [];
    const error = (line: string) => errors.push(line);
    expect(runExamplesCommand(['--source', '/nonexistent'], { error })).toBe(1);
    expect(errors[0]).toMatch(/^reslab examples: .*run `reslab data prepare` first/);
    expect(runExamplesCommand(['--per-class', 'many'], { error })).toBe(2);
    expect(errors[1]).toMatch(/invalid --per-class: "many" \(expected an integer from 1 to 500\)/);
  });
});

describe('folder picker helpers', () => {
  test('entries keep the path below the picked folder, else the file name', () => {
    const inFolder = new File(['a'], '1.png');
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'pets/cat/1.png' });
    const loose = new File(['b'], '2.png');
    const entries = entriesFromFiles([inFolder, loose]);
    expect(entries.map((e) => e.path)).toEqual(['pets/cat/1.png', '2.png']);
    expect(entries[0].data).toBe(inFolder);
    expect(describeEntries(entries)).toBe('2 files in 1 folder (cat)');
    expect(describeEntries([])).toBe('0 files in 0 folders');
  });

  test('loadExampleImages fetches the listing and every file as entries', async () => {
    const served: Record<string, string> = {
      'http://site/data/example-images/index.json': JSON.stringify({
        classes: ['a', 'b'],
        files: ['a/1.png', 'b/1.png'],
      }),
      'http://site/data/example-images/a/1.png': 'A',
      'http://site/data/example-images/b/1.png': 'B',
    };
    const fakeFetch = (async (url: string) =>
      url in served
        ? new Response(served[url])
        : new Response('', { status: 404 })) as unknown as typeof fetch;
    const entries = await loadExampleImages({ baseUrl: 'http://site/data/example-images', fetch: fakeFetch });
    expect(entries.map((e) => [e.path, new TextDecoder().decode(e.data as Uint8Array)])).toEqual([
      ['example-images/a/1.png', 'A'],
      ['example-images/b/1.png', 'B'],
    ]);
    await expect(loadExampleImages({ baseUrl: 'http://elsewhere/', fetch: fakeFetch })).rejects.toThrow(
      /HTTP 404 \(has `reslab examples` been run\?\)/,
    );
  });
});
