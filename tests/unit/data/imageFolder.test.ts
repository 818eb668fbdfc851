import { describe, expect, it } from 'vitest';
import {
  classifyPaths,
  loadImageFolder,
  type ImageDecoder,
  type ImageFileEntry,
} from '../../../src/lib/data/imageFolder.ts';

/** A fake decoder: a file's bytes are [value]; value 0 is corrupt. Returns a flat image of that value. */
const fakeDecode: ImageDecoder = async (data, { width, height }) => {
  const value = (data as Uint8Array)[0];
  if (!value) throw new Error('corrupt');
  return { width, height, data: new Uint8Array(width * height * 4).fill(value) };
};

function folder(classes: Record<string, number>, extra: [string, number][] = []): ImageFileEntry[] {
  const entries: ImageFileEntry[] = [];
  for (const [name, n] of Object.entries(classes)) {
    for (let i = 0; i < n; i++)
      entries.push({ path: `pets/${name}/${i}.jpg`, data: Uint8Array.of(10 + entries.length) });
  }
  for (const [path, value] of extra) entries.push({ path, data: Uint8Array.of(value) });
  return entries;
}

describe('classifyPaths', () => {
  it('uses the first folder under a common root, or the first folder', () => {
    expect(classifyPaths(['pets/cat/1.jpg', 'pets/dog/2.jpg']).map((f) => f.className)).toEqual([
      'cat',
      'dog',
    ]);
    expect(classifyPaths(['cat/1.jpg', 'dog/2.jpg', 'x.jpg']).map((f) => f.className)).toEqual([
      'cat',
      'dog',
      undefined,
    ]);
  });
});

describe('loadImageFolder', () => {
  it('splits 80/20 per class, seeded, and counts skipped files', async () => {
    const entries = folder({ cat: 10, dog: 20 }, [
      ['pets/cat/notes.txt', 1],
      ['pets/dog/broken.png', 0],
      ['pets/dog/.DS_Store', 1],
    ]);
    const { dataset, skipped, message } = await loadImageFolder(entries, {
      size: 4,
      decode: fakeDecode,
      seed: 1,
    });
    expect(dataset.classNames).toEqual(['cat', 'dog']);
    expect([dataset.train.count, dataset.test.count]).toEqual([24, 6]);
    const testCats = Array.from(dataset.test.labels).filter((l) => l === 0).length;
    expect(testCats).toBe(2);
    expect(skipped.map((s) => s.reason).sort()).toEqual(['not an image', 'not an image', 'unreadable image']);
    expect(message).toBe(
      'Loaded 30 images in 2 classes (cat 10, dog 20): 24 for training, 6 for testing; skipped 3 files: 2 not an image, 1 unreadable image.',
    );
    expect(dataset.train.channels).toBe(3);
    expect(dataset.train.images.length).toBe(24 * 4 * 4 * 3);

    const again = await loadImageFolder(entries, { size: 4, decode: fakeDecode, seed: 1 });
    const other = await loadImageFolder(entries, { size: 4, decode: fakeDecode, seed: 2 });
    expect(Array.from(again.dataset.test.images)).toEqual(Array.from(dataset.test.images));
    expect(Array.from(other.dataset.test.images)).not.toEqual(Array.from(dataset.test.images));
  });

  it('rejects a single class', async () => {
    await expect(loadImageFolder(folder({ cat: 5 }), { decode: fakeDecode })).rejects.toThrow(
      'invalid image folder: one class ("cat") (expected at least two sub-folders, one per class, e.g. cats/ and dogs/)',
    );
  });

  it('rejects a class whose files are all unreadable, saying what was skipped', async () => {
    const entries = folder({ cat: 5 }, [
      ['pets/dog/a.jpg', 0],
      ['pets/dog/b.txt', 1],
    ]);
    await expect(loadImageFolder(entries, { decode: fakeDecode })).rejects.toThrow(
      'invalid image folder: class "dog" has no readable images (expected at least one image per class folder); skipped 2 files: 1 unreadable image, 1 not an image',
    );
  });

  it('converts to grayscale and validates options', async () => {
    const { dataset } = await loadImageFolder(folder({ a: 3, b: 3 }), {
      size: 2,
      channels: 1,
      decode: fakeDecode,
    });
    expect(dataset.train.images.length).toBe(dataset.train.count * 4);
    await expect(loadImageFolder([], { size: 0 })).rejects.toThrow(
      'invalid size: 0 (expected a positive integer)',
    );
  });
});
