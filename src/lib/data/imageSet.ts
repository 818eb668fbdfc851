/**
 * Labelled images kept as bytes on the CPU: pixels [count, height, width, channels] (row-major,
 * 0–255) and one class index per image. Batches are uploaded, normalised, resized and augmented on
 * the device one step at a time (see batches.ts), so a 60k-image set costs 47 MB of JS memory rather
 * than 188 MB of float32 GPU memory, and resizing to 96 or 224 never materialises the whole set.
 */
export interface ImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Creates an image set, checking that the byte lengths match the shape. */
export function createImageSet(
  images: Uint8Array,
  labels: Uint8Array,
  shape: { height: number; width: number; channels: number },
): ImageSet {
  const { height, width, channels } = shape;
  const count = labels.length;
  const expected = count * height * width * channels;
  if (images.length !== expected) {
    throw new Error(
      `invalid image set: ${images.length} pixel bytes (expected ${expected} = ${count} images × ${height}×${width}×${channels})`,
    );
  }
  return { images, labels, count, height, width, channels };
}

/** Copies the images at `indices` (in that order) into a new image set. */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!(j >= 0 && j < set.count))
      throw new Error(`invalid image index: ${j} (expected 0 to ${set.count - 1})`);
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j];
  }
  return {
    images,
    labels,
    count: indices.length,
    height: set.height,
    width: set.width,
    channels: set.channels,
  };
}

/** Counts the images of each class (index = class). */
export function countByClass(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}
