/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * number (two zero bytes, a type code, the number of dimensions), one big-endian uint32 per
 * dimension, then the values. Fashion-MNIST uses unsigned bytes (type 0x08).
 */
export interface IdxArray {
  /** Dimensions, e.g. [60000, 28, 28] for images or [60000] for labels. */
  shape: number[];
  /** The values, row-major, one byte each. */
  data: Uint8Array;
}

/** Labelled images read from an IDX pair: pixels [count, height, width] and labels [count]. */
export interface IdxImages {
  count: number;
  height: number;
  width: number;
  images: Uint8Array;
  labels: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an (uncompressed) IDX file of unsigned bytes, checking the magic number and the size. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4)
    throw new Error(`invalid ${name}: ${bytes.length} bytes (expected at least a 4-byte header)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `invalid ${name}: magic number ${magic} (expected 00 00 08 0N; is it gzipped or not IDX?)`,
    );
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new Error(`invalid ${name}: type code 0x${bytes[2].toString(16)} (expected 0x08, unsigned bytes)`);
  }
  const rank = bytes[3];
  if (rank < 1 || rank > 4) throw new Error(`invalid ${name}: ${rank} dimensions (expected 1 to 4)`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`invalid ${name}: truncated header, ${bytes.length} bytes (expected ${headerBytes})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw new Error(
      `invalid ${name}: ${what}, ${bytes.length} bytes (expected ${expected} for shape [${shape.join(', ')}])`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/**
 * Reads an images file [count, height, width] and its labels file [count], checking that they
 * agree and that every label is below `classes`.
 */
export function parseIdxPair(
  imagesBytes: Uint8Array,
  labelsBytes: Uint8Array,
  classes = 10,
  name = 'IDX',
): IdxImages {
  const images = parseIdx(imagesBytes, `${name} images file`);
  const labels = parseIdx(labelsBytes, `${name} labels file`);
  if (images.shape.length !== 3) {
    throw new Error(
      `invalid ${name} images file: shape [${images.shape.join(', ')}] (expected [count, height, width])`,
    );
  }
  if (labels.shape.length !== 1) {
    throw new Error(`invalid ${name} labels file: shape [${labels.shape.join(', ')}] (expected [count])`);
  }
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) {
    throw new Error(
      `invalid ${name} labels file: ${labels.shape[0]} labels (expected ${count}, one per image)`,
    );
  }
  const bad = labels.data.findIndex((label) => label >= classes);
  if (bad >= 0) {
    throw new Error(`invalid ${name} label at ${bad}: ${labels.data[bad]} (expected 0 to ${classes - 1})`);
  }
  return { count, height, width, images: images.data, labels: labels.data };
}

/** Encodes unsigned bytes as an IDX file (for tests and fixtures). */
export function encodeIdx(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
