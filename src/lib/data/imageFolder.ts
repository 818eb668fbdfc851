import { z } from 'zod';
import { createImageDataset, type ImageDataset } from './fashionMnist.ts';
import { createImageSet, selectImages } from './imageSet.ts';
import { parseOptions, positiveInt, seedSchema } from '../options.ts';
import { stratifiedSplit } from './split.ts';

/** A file the reader picked or dropped: its path (e.g. `webkitRelativePath`, `pets/cat/1.jpg`) and contents. */
export interface ImageFileEntry {
  path: string;
  data: Blob | Uint8Array;
}

/** Decoded pixels: RGBA bytes, row-major, `width × height × 4`. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Decodes an image file and resizes it to the requested size; rejects when the file is not a readable image. */
export type ImageDecoder = (
  data: Blob | Uint8Array,
  size: { width: number; height: number },
) => Promise<DecodedImage>;

/** Options of {@link loadImageFolder}. */
export type ImageFolderOptions = z.input<typeof optionsSchema>;

/** A skipped file and why. */
export interface SkippedFile {
  path: string;
  reason: 'not an image' | 'unreadable image' | 'not in a class folder';
}

/** The reader's images as a dataset, plus what was skipped and a sentence saying so. */
export interface ImageFolderResult {
  dataset: ImageDataset;
  skipped: SkippedFile[];
  /** E.g. "Loaded 212 images in 3 classes (cat 70, dog 72, fox 70); skipped 2 files: 1 not an image, 1 unreadable image." */
  message: string;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;

const optionsSchema = z
  .object({
    /** Side length every image is resized to. Default 64. */
    size: positiveInt.max(512, { error: 'a positive integer up to 512' }).default(64),
    /** 3 keeps colour (RGB), 1 converts to grayscale. Default 3. */
    channels: z.union([z.literal(1), z.literal(3)], { error: '1 or 3' }).default(3),
    /** Fraction of each class held out for testing. Default 0.2. */
    testFraction: z
      .number({ error: 'a number in [0, 1)' })
      .min(0)
      .max(0.95, { error: 'a number in [0, 0.95]' })
      .default(0.2),
    /** Seed of the split. Default 0. */
    seed: seedSchema.default(0),
    /** Decoder. Default: `createImageBitmap` + `OffscreenCanvas` (browsers). */
    decode: z.custom<ImageDecoder>((v) => typeof v === 'function', { error: 'a function' }).optional(),
    /** Called after each file with the number done and in all. */
    onProgress: z
      .custom<(d: number, t: number) => void>((v) => typeof v === 'function', { error: 'a function' })
      .optional(),
  })
  .strict();

/**
 * Builds a dataset from the reader's own images, one sub-folder per class (like PyTorch's
 * `ImageFolder`). Images are decoded and resized locally; nothing is uploaded. Non-image and
 * unreadable files are skipped and counted; a class left with no images, or a single class, is an error.
 */
export async function loadImageFolder(
  entries: ImageFileEntry[],
  options: ImageFolderOptions = {},
): Promise<ImageFolderResult> {
  const o = parseOptions(optionsSchema, options, 'loadImageFolder option');
  const decode = o.decode ?? decodeWithCanvas;
  const files = classifyPaths(entries.map((e) => e.path));
  const classNames = [...new Set(files.flatMap((f) => (f.className ? [f.className] : [])))].sort();
  const skipped: SkippedFile[] = [];
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  const size = o.size;
  for (let i = 0; i < entries.length; i++) {
    const { className, name } = files[i];
    const path = entries[i].path;
    if (name.startsWith('.') || !IMAGE_EXTENSIONS.test(name)) skipped.push({ path, reason: 'not an image' });
    else if (className === undefined) skipped.push({ path, reason: 'not in a class folder' });
    else {
      try {
        const image = await decode(entries[i].data, { width: size, height: size });
        if (image.width !== size || image.height !== size || image.data.length !== size * size * 4) {
          throw new Error(`decoder returned ${image.width}×${image.height}`);
        }
        pixels.push(toChannels(image.data, o.channels));
        labels.push(classNames.indexOf(className));
      } catch {
        skipped.push({ path, reason: 'unreadable image' });
      }
    }
    o.onProgress?.(i + 1, entries.length);
  }
  const counts = classNames.map((_, c) => labels.filter((l) => l === c).length);
  const skippedText = describeSkipped(skipped);
  const empty = classNames.filter((_, c) => counts[c] === 0);
  if (empty.length > 0) {
    throw new Error(
      `invalid image folder: class ${empty.map((n) => JSON.stringify(n)).join(', ')} has no readable images ` +
        `(expected at least one image per class folder)${skippedText ? `; ${skippedText}` : ''}`,
    );
  }
  if (classNames.length < 2) {
    const found =
      classNames.length === 0 ? 'no class folders' : `one class (${JSON.stringify(classNames[0])})`;
    throw new Error(
      `invalid image folder: ${found} (expected at least two sub-folders, one per class, e.g. cats/ and dogs/)` +
        (skippedText ? `; ${skippedText}` : ''),
    );
  }
  const all = createImageSet(concat(pixels), Uint8Array.from(labels), {
    height: size,
    width: size,
    channels: o.channels,
  });
  const split = stratifiedSplit(all.labels, o.testFraction, o.seed);
  const dataset = createImageDataset(
    selectImages(all, split.train),
    selectImages(all, split.test),
    classNames,
  );
  const perClass = classNames.map((n, c) => `${n} ${counts[c]}`).join(', ');
  const message =
    `Loaded ${labels.length} images in ${classNames.length} classes (${perClass}): ` +
    `${split.train.length} for training, ${split.test.length} for testing` +
    (skippedText ? `; ${skippedText}.` : '.');
  return { dataset, skipped, message };
}

/**
 * Finds each path's class: the first folder under the common root (`pets/cat/1.jpg` → `cat` when
 * every path starts with `pets/`; `cat/1.jpg` → `cat`). Files directly in the root have no class.
 */
export function classifyPaths(paths: string[]): { className?: string; name: string }[] {
  const parts = paths.map((p) => p.split(/[\\/]+/).filter(Boolean));
  const firsts = new Set(parts.map((p) => p[0]));
  const hasRoot = parts.length > 0 && firsts.size === 1 && parts.every((p) => p.length >= 3);
  return parts.map((p) => {
    const rest = hasRoot ? p.slice(1) : p;
    return { className: rest.length >= 2 ? rest[0] : undefined, name: p[p.length - 1] ?? '' };
  });
}

function describeSkipped(skipped: SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const reasons = new Map<string, number>();
  for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`);
  return `skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function toChannels(rgba: Uint8Array | Uint8ClampedArray, channels: 1 | 3): Uint8Array {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
    if (channels === 3) out.set([r, g, b], 3 * i);
    else out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b); // ITU-R BT.601 luma
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Decodes with `createImageBitmap` and draws onto an `OffscreenCanvas` of the target size (browsers). */
export async function decodeWithCanvas(
  data: Blob | Uint8Array,
  size: { width: number; height: number },
): Promise<DecodedImage> {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
  const bitmap = await createImageBitmap(blob, {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'high',
  });
  try {
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas context');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const { data: pixels } = context.getImageData(0, 0, size.width, size.height);
    return { width: size.width, height: size.height, data: pixels };
  } finally {
    bitmap.close();
  }
}
