import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, maybeGunzip } from '../../../src/lib/data/gzip.ts';
import { encodeIdx, parseIdx, parseIdxPair } from '../../../src/lib/data/idx.ts';

const images = encodeIdx(
  [3, 2, 2],
  Uint8Array.from({ length: 12 }, (_, i) => i * 10),
);
const labels = encodeIdx([3], Uint8Array.from([0, 9, 4]));

describe('parseIdx', () => {
  it('reads the shape and values of a well-formed file', () => {
    const parsed = parseIdx(images);
    expect(parsed.shape).toEqual([3, 2, 2]);
    expect(Array.from(parsed.data)).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
  });

  it('rejects a wrong magic number, naming the bytes it found', () => {
    const bad = images.slice();
    bad[0] = 0x1f;
    expect(() => parseIdx(bad, 'train images')).toThrow(
      /invalid train images: magic number 1f 00 08 03 \(expected 00 00 08 0N/,
    );
  });

  it('rejects a type other than unsigned bytes', () => {
    const bad = images.slice();
    bad[2] = 0x0d;
    expect(() => parseIdx(bad)).toThrow(/type code 0xd \(expected 0x08/);
  });

  it('rejects a truncated file with the expected size', () => {
    expect(() => parseIdx(images.subarray(0, images.length - 1), 'f')).toThrow(
      'invalid f: truncated, 27 bytes (expected 28 for shape [3, 2, 2])',
    );
    expect(() => parseIdx(images.subarray(0, 6), 'f')).toThrow(/truncated header, 6 bytes \(expected 16\)/);
  });

  it('rejects trailing bytes', () => {
    const longer = new Uint8Array(images.length + 3);
    longer.set(images);
    expect(() => parseIdx(longer)).toThrow(/trailing bytes, 31 bytes/);
  });
});

describe('parseIdxPair', () => {
  it('pairs images and labels', () => {
    const pair = parseIdxPair(images, labels);
    expect([pair.count, pair.height, pair.width]).toEqual([3, 2, 2]);
    expect(Array.from(pair.labels)).toEqual([0, 9, 4]);
  });

  it('rejects mismatched counts', () => {
    expect(() => parseIdxPair(images, encodeIdx([2], Uint8Array.from([0, 1])), 10, 'train')).toThrow(
      'invalid train labels file: 2 labels (expected 3, one per image)',
    );
  });

  it('rejects labels out of range and swapped files', () => {
    expect(() => parseIdxPair(images, encodeIdx([3], Uint8Array.from([0, 10, 1])))).toThrow(
      /label at 1: 10 \(expected 0 to 9\)/,
    );
    expect(() => parseIdxPair(labels, images)).toThrow(/expected \[count, height, width\]/);
  });
});

describe('gunzip', () => {
  it('round-trips with node:zlib and passes plain bytes through', async () => {
    expect(Array.from(await gunzip(gzipSync(images)))).toEqual(Array.from(images));
    expect(await maybeGunzip(images)).toBe(images);
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(images);
    await expect(gunzip(gz.subarray(0, gz.length - 8), 'x.gz')).rejects.toThrow(/invalid gzip file x.gz/);
  });
});
