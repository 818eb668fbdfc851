import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseOptions } from './args.ts';
import { crc32, deflateSync, gunzipSync } from 'node:zlib';
import { decodeShard, parseManifest } from '../lib/data/shards.ts';
import type { ImageSet } from '../lib/data/imageSet.ts';

/** Where `reslab data prepare` writes the Fashion-MNIST shards this command reads. */
export const DEFAULT_SOURCE_DIR = 'public/data/fashion-mnist';
/** Output folder, served by the site as `data/example-images/`. */
export const DEFAULT_EXAMPLES_DIR = 'public/data/example-images';
/** The example folder's classes: Fashion-MNIST label → sub-folder name. Three easy-to-tell-apart classes. */
export const EXAMPLE_CLASSES: ReadonlyArray<{ label: number; folder: string }> = [
  { label: 1, folder: 'trouser' },
  { label: 5, folder: 'sandal' },
  { label: 8, folder: 'bag' },
];
/** Images per class. */
export const EXAMPLES_PER_CLASS = 20;

/** The listing `index.json` holds: class folders and every file's path relative to the folder. */
export interface ExampleIndex {
  classes: string[];
  files: string[];
}

const USAGE = `Usage: reslab examples [--source DIR] [--out DIR] [--per-class N]

Writes a tiny image folder (one sub-folder per class, 28×28 grayscale PNGs, plus index.json) from the
Fashion-MNIST test shards, for the lesson on training with your own images.
  --source DIR     folder with the shards' manifest.json (default ${DEFAULT_SOURCE_DIR})
  --out DIR        output folder (default ${DEFAULT_EXAMPLES_DIR}); replaced on each run
  --per-class N    images per class (default ${EXAMPLES_PER_CLASS})`;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes 8-bit grayscale (1 channel) or RGB (3 channels) pixels, row-major, as a PNG: IHDR, one
 * zlib-compressed IDAT with filter type 0 on every row, IEND.
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 = 1,
): Uint8Array {
  if (pixels.length !== width * height * channels)
    throw new Error(
      `invalid pixels: ${pixels.length} bytes (expected ${width}×${height}×${channels} = ${width * height * channels})`,
    );
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, channels === 1 ? 0 : 2, 0, 0, 0], 8); // bit depth 8, grayscale or truecolour, no interlace
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}

/** Picks the first `perClass` images of each example class from a set, in the set's order. */
export function selectExamples(set: ImageSet, perClass: number): { folder: string; pixels: Uint8Array[] }[] {
  const size = set.height * set.width * set.channels;
  return EXAMPLE_CLASSES.map(({ label, folder }) => {
    const pixels: Uint8Array[] = [];
    for (let i = 0; i < set.count && pixels.length < perClass; i++)
      if (set.labels[i] === label) pixels.push(set.images.subarray(i * size, (i + 1) * size));
    if (pixels.length < perClass)
      throw new Error(
        `invalid source: only ${pixels.length} images of class ${label} (expected ${perClass})`,
      );
    return { folder, pixels };
  });
}

/** Effects of {@link runExamplesCommand} (tests pass fakes). */
export interface ExamplesCommandEffects {
  log?: (line: string) => void;
  error?: (line: string) => void;
}

/** Runs `reslab examples …` (argv after `examples`) and returns the exit code. */
export function runExamplesCommand(argv: string[], effects: ExamplesCommandEffects = {}): number {
  const log = effects.log ?? ((line) => console.log(line));
  const error = effects.error ?? ((line) => console.error(line));
  let values;
  try {
    ({ values } = parseOptions(argv, {
      source: { type: 'string' },
      out: { type: 'string' },
      'per-class': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const perClass = Number(values['per-class'] ?? EXAMPLES_PER_CLASS);
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 500) {
    error(`invalid --per-class: ${JSON.stringify(values['per-class'])} (expected an integer from 1 to 500)`);
    return 2;
  }
  const source = resolve(values.source ?? DEFAULT_SOURCE_DIR);
  const out = resolve(values.out ?? DEFAULT_EXAMPLES_DIR);
  try {
    const manifest = parseManifest(JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')));
    const subset = manifest.subsets.lesson ?? Object.values(manifest.subsets)[0];
    if (!subset) throw new Error(`invalid manifest in ${source}: no subsets`);
    const shard = subset.test.shards[0];
    const payload = gunzipSync(readFileSync(join(source, shard.file)));
    const set = decodeShard(new Uint8Array(payload), shard.count, manifest.imageShape, shard.file);
    const [height, width, channels] = manifest.imageShape;
    if (channels !== 1 && channels !== 3) throw new Error(`invalid image shape: ${channels} channels`);
    rmSync(out, { recursive: true, force: true });
    const index: ExampleIndex = { classes: [], files: [] };
    for (const { folder, pixels } of selectExamples(set, perClass)) {
      mkdirSync(join(out, folder), { recursive: true });
      index.classes.push(folder);
      pixels.forEach((image, i) => {
        const file = `${folder}/${String(i + 1).padStart(3, '0')}.png`;
        writeFileSync(join(out, file), encodePng(image, width, height, channels));
        index.files.push(file);
      });
    }
    writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
    log(`Wrote ${index.files.length} example images in ${index.classes.length} classes to ${out}`);
    return 0;
  } catch (e) {
    error(`reslab examples: ${(e as Error).message} (run \`reslab data prepare\` first)`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runExamplesCommand(process.argv.slice(2));
}
