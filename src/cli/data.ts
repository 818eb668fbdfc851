import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseOptions } from './args.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FASHION_MNIST_CLASSES } from '../lib/data/fashionMnist.ts';
import { parseIdxPair } from '../lib/data/idx.ts';
import { createImageSet, type ImageSet } from '../lib/data/imageSet.ts';
import { prepareSubset } from '../lib/data/prepare.ts';
import { parseManifest, SHARD_FORMAT, type ShardManifest } from '../lib/data/shards.ts';

/** Where the Debian package `dataset-fashion-mnist` puts the IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** The dataset's official download location (zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
/** Default output folder, served by the site as `data/fashion-mnist/`. */
export const DEFAULT_OUT_DIR = 'public/data/fashion-mnist';
/** Size of the default lesson subset. */
export const LESSON_SIZES = { train: 10_000, test: 2000 } as const;

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const USAGE = `Usage: reslab data prepare [--source DIR] [--out DIR] [--if-missing] [--full]

Writes Fashion-MNIST shards and manifest.json for the site.
  --source DIR   folder with the four IDX files (.gz or not); default: $RESLAB_FASHION_MNIST_DIR,
                 then ${DEBIAN_FASHION_MNIST_DIR} (Debian package dataset-fashion-mnist),
                 then a download from ${FASHION_MNIST_URL}
  --out DIR      output folder (default ${DEFAULT_OUT_DIR})
  --if-missing   do nothing when the manifest and its shards are already there
  --full         also write the full set (60000 train / 10000 test) as subset "full"`;

/** Effects of {@link runDataCommand}: output, environment, network (tests pass fakes). */
export interface DataCommandEffects {
  log?: (line: string) => void;
  error?: (line: string) => void;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Folders tried after --source and the environment variable. Default [the Debian folder]. */
  systemDirs?: string[];
}

/** Runs `reslab data <subcommand> …` (argv after `data`) and returns the exit code. */
export async function runDataCommand(argv: string[], effects: DataCommandEffects = {}): Promise<number> {
  const log = effects.log ?? ((line) => console.log(line));
  const error = effects.error ?? ((line) => console.error(line));
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command ? log : error)(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'prepare') {
    error(`invalid data command: ${JSON.stringify(command)} (expected prepare)\n\n${USAGE}`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseOptions(rest, {
      source: { type: 'string' },
      out: { type: 'string' },
      'if-missing': { type: 'boolean' },
      full: { type: 'boolean' },
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
  const out = resolve(values.out ?? DEFAULT_OUT_DIR);
  const subsets = values.full ? ['lesson', 'full'] : ['lesson'];
  try {
    if (values['if-missing'] && isPrepared(out, subsets)) {
      log(`Fashion-MNIST shards are already in ${out} (${subsets.join(', ')}); nothing to do.`);
      return 0;
    }
    const { train, test, source } = await readSource(values.source, effects);
    const manifest: ShardManifest = {
      format: SHARD_FORMAT,
      version: 1,
      dataset: 'fashion-mnist',
      classNames: [...FASHION_MNIST_CLASSES],
      imageShape: [28, 28, 1],
      source,
      subsets: {},
    };
    mkdirSync(out, { recursive: true });
    const compress = (payload: Uint8Array): Uint8Array => gzipSync(payload, { level: 6 });
    for (const name of subsets) {
      const sizes = name === 'lesson' ? { trainSize: LESSON_SIZES.train, testSize: LESSON_SIZES.test } : {};
      const { subset, files } = await prepareSubset(name, train, test, FASHION_MNIST_CLASSES.length, {
        ...sizes,
        seed: 0,
        compress,
      });
      for (const file of files) writeAtomically(join(out, file.file), file.bytes);
      manifest.subsets[name] = subset;
      const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
      log(
        `${name}: ${subset.train.count} train + ${subset.test.count} test images, ${files.length} shards, ${(bytes / 1e6).toFixed(1)} MB`,
      );
    }
    // The manifest goes last: a manifest on disk always names shards that are complete.
    writeAtomically(
      join(out, 'manifest.json'),
      new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'),
    );
    log(`Wrote Fashion-MNIST (${source}) to ${out}`);
    return 0;
  } catch (e) {
    error(`reslab data prepare: ${(e as Error).message}`);
    return 1;
  }
}

// True when the manifest parses, names every wanted subset, and each shard file has its listed size.
function isPrepared(out: string, subsets: string[]): boolean {
  const path = join(out, 'manifest.json');
  if (!existsSync(path)) return false;
  try {
    const manifest = parseManifest(JSON.parse(readFileSync(path, 'utf8')));
    return subsets.every((name) => {
      const subset = manifest.subsets[name];
      if (!subset) return false;
      const shards = [...subset.train.shards, ...subset.test.shards];
      return shards.every(
        (s) => existsSync(join(out, s.file)) && statSync(join(out, s.file)).size === s.bytes,
      );
    });
  } catch {
    return false;
  }
}

async function readSource(
  sourceOption: string | undefined,
  effects: DataCommandEffects,
): Promise<{ train: ImageSet; test: ImageSet; source: string }> {
  const env = effects.env ?? process.env;
  const named = sourceOption ?? env.RESLAB_FASHION_MNIST_DIR;
  const label = sourceOption ? '--source' : 'RESLAB_FASHION_MNIST_DIR';
  if (named !== undefined) {
    const dir = resolve(named);
    const missing = Object.values(FILES).filter((f) => !findFile(dir, f));
    if (missing.length > 0) {
      throw new Error(
        `invalid ${label}: ${JSON.stringify(named)} (expected a folder with ${Object.values(FILES).join(', ')} (.gz or not); missing ${missing.join(', ')})`,
      );
    }
    return { ...readDir(dir), source: dir };
  }
  for (const dir of effects.systemDirs ?? [DEBIAN_FASHION_MNIST_DIR]) {
    if (Object.values(FILES).every((f) => findFile(dir, f))) return { ...readDir(dir), source: dir };
  }
  return { ...(await download(effects.fetch ?? globalThis.fetch)), source: FASHION_MNIST_URL };
}

function findFile(dir: string, name: string): string | undefined {
  return [join(dir, `${name}.gz`), join(dir, name)].find((p) => existsSync(p));
}

function readDir(dir: string): { train: ImageSet; test: ImageSet } {
  const read = (name: string): Uint8Array => {
    const path = findFile(dir, name)!;
    const bytes = readFileSync(path);
    return path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  };
  return decode((name) => read(name));
}

function decode(read: (name: string) => Uint8Array): { train: ImageSet; test: ImageSet } {
  const toSet = (images: string, labels: string, name: string): ImageSet => {
    const idx = parseIdxPair(read(images), read(labels), 10, name);
    if (idx.height !== 28 || idx.width !== 28)
      throw new Error(`invalid ${name} images: ${idx.height}×${idx.width} (expected 28×28)`);
    return createImageSet(idx.images, idx.labels, { height: 28, width: 28, channels: 1 });
  };
  return {
    train: toSet(FILES.trainImages, FILES.trainLabels, 'train'),
    test: toSet(FILES.testImages, FILES.testLabels, 't10k'),
  };
}

async function download(doFetch: typeof fetch): Promise<{ train: ImageSet; test: ImageSet }> {
  const files = new Map<string, Uint8Array>();
  for (const name of Object.values(FILES)) {
    const url = `${FASHION_MNIST_URL}${name}.gz`;
    let response: Response;
    try {
      response = await doFetch(url, { signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      throw new Error(
        `no local Fashion-MNIST found and the download of ${url} failed (${cause}). ` +
          `Install the Debian package dataset-fashion-mnist, or pass --source DIR / set RESLAB_FASHION_MNIST_DIR to a folder with the IDX files.`,
        { cause: e },
      );
    }
    if (!response.ok) throw new Error(`download of ${url} failed: HTTP ${response.status}`);
    files.set(name, gunzipSync(new Uint8Array(await response.arrayBuffer())));
  }
  return decode((name) => files.get(name)!);
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runDataCommand(process.argv.slice(2));
}
