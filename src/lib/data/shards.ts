import { z } from 'zod';
import { maybeGunzip } from './gzip.ts';
import { createImageSet, type ImageSet } from './imageSet.ts';

/**
 * The shard format the site serves from `public/data/<dataset>/`. A manifest (`manifest.json`) lists
 * subsets (`lesson`: the default lesson-sized sample; `full`: everything), each with a train and a
 * test split, each cut into shards. A shard file is gzip of a payload: `count` label bytes, then
 * `count × height × width × channels` pixel bytes. `sha256` is the checksum of the payload (after
 * gunzip), so it holds whether or not a server decompresses the file in transit.
 */
export const SHARD_FORMAT = 'reslab-image-shards';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'a SHA-256 hex digest' });
const count = z.number().int().nonnegative();

/** The zod schema of one shard entry. */
export const shardSchema = z.object({ file: z.string().min(1), count, bytes: count, sha256: hex64 });

/** The zod schema of one split (train or test) of a subset. */
export const splitManifestSchema = z.object({
  count,
  classCounts: z.array(count),
  shards: z.array(shardSchema).min(1),
});

/** The zod schema of `manifest.json`. */
export const manifestSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  version: z.literal(1),
  dataset: z.string(),
  classNames: z.array(z.string()).min(2),
  imageShape: z.tuple([
    z.number().int().positive(),
    z.number().int().positive(),
    z.number().int().positive(),
  ]),
  source: z.string().optional(),
  subsets: z.record(
    z.string(),
    z.object({ seed: z.number().int().optional(), train: splitManifestSchema, test: splitManifestSchema }),
  ),
});

/** A parsed `manifest.json`. */
export type ShardManifest = z.infer<typeof manifestSchema>;
/** One shard entry of a manifest. */
export type ShardEntry = z.infer<typeof shardSchema>;
/** One split of a manifest. */
export type SplitManifest = z.infer<typeof splitManifestSchema>;

/** Validates a manifest, throwing `invalid manifest: <field> …` on the first problem. */
export function parseManifest(value: unknown): ShardManifest {
  const result = manifestSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`invalid manifest: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Encodes a shard payload: labels, then pixels. */
export function encodeShard(labels: Uint8Array, images: Uint8Array): Uint8Array {
  const payload = new Uint8Array(labels.length + images.length);
  payload.set(labels, 0);
  payload.set(images, labels.length);
  return payload;
}

/** Decodes a shard payload of `count` images of the given shape, checking its length. */
export function decodeShard(
  payload: Uint8Array,
  count: number,
  shape: readonly [number, number, number],
  name = 'shard',
): ImageSet {
  const [height, width, channels] = shape;
  const expected = count * (1 + height * width * channels);
  if (payload.length !== expected) {
    throw new Error(
      `invalid ${name}: ${payload.length} bytes (expected ${expected} for ${count} images of ${shape.join('×')})`,
    );
  }
  return createImageSet(payload.slice(count), payload.slice(0, count), { height, width, channels });
}

/** Concatenates the image sets of several shards of the same shape. */
export function concatImageSets(sets: ImageSet[]): ImageSet {
  const first = sets[0];
  const images = new Uint8Array(sets.reduce((n, s) => n + s.images.length, 0));
  const labels = new Uint8Array(sets.reduce((n, s) => n + s.count, 0));
  let i = 0;
  let l = 0;
  for (const set of sets) {
    images.set(set.images, i);
    labels.set(set.labels, l);
    i += set.images.length;
    l += set.count;
  }
  return createImageSet(images, labels, first);
}

/** Returns the SHA-256 of bytes as lowercase hex (Web Crypto: browsers and Node ≥ 19). */
export async function sha256Hex(
  bytes: Uint8Array,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The part of the Cache API the loader uses (so tests can pass a fake, and pages without it pass null). */
export interface ShardCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<boolean>;
}

/** Effects and callbacks of {@link fetchShard}. */
export interface FetchShardOptions {
  /** The fetch to use. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Where verified shards are kept between visits; null for none. */
  cache?: ShardCache | null;
  /** Called as bytes arrive from the network (not from the cache): the number of new bytes. */
  onBytes?: (bytes: number) => void;
}

/**
 * Returns a shard's verified payload. A cached copy is used when present; a copy whose checksum does
 * not match (a stale or corrupt cache entry, a proxy's error page) is dropped and fetched again once
 * from the network, bypassing the HTTP cache; a second mismatch is an error.
 */
export async function fetchShard(
  url: string,
  shard: ShardEntry,
  options: FetchShardOptions = {},
): Promise<Uint8Array> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const cache = options.cache ?? null;
  // Keyed by checksum, so a regenerated shard under the same file name is a cache miss, not a mismatch.
  const cacheKey = `${url}?sha256=${shard.sha256}`;
  const cached = cache ? await cache.match(cacheKey) : undefined;
  if (cached) {
    // A cached copy that fails to gunzip counts as a mismatch, like one with a wrong checksum.
    const payload = await readPayload(cached, shard.file).catch(() => undefined);
    if (payload && (await sha256Hex(payload)) === shard.sha256) return payload;
    await cache!.delete(cacheKey);
  }
  let payload = await download(doFetch, url, cached ? 'reload' : 'default', options.onBytes, shard.file);
  let actual = await sha256Hex(payload);
  if (actual !== shard.sha256 && !cached) {
    payload = await download(doFetch, url, 'reload', options.onBytes, shard.file);
    actual = await sha256Hex(payload);
  }
  if (actual !== shard.sha256) {
    throw new Error(
      `checksum mismatch for ${shard.file}: got sha256 ${actual.slice(0, 12)}…, expected ${shard.sha256.slice(0, 12)}… ` +
        `(fetched again and still different: the server's copy does not match its manifest; run \`reslab data prepare\`)`,
    );
  }
  if (cache) await cache.put(cacheKey, new Response(payload as Uint8Array<ArrayBuffer>));
  return payload;
}

async function download(
  doFetch: typeof fetch,
  url: string,
  mode: RequestCache,
  onBytes: ((bytes: number) => void) | undefined,
  name: string,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await doFetch(url, { cache: mode });
  } catch (error) {
    throw new Error(`could not fetch ${name} from ${url}: ${(error as Error).message} (are you offline?)`, {
      cause: error,
    });
  }
  if (!response.ok)
    throw new Error(
      `could not fetch ${name} from ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  // A damaged gzip stream (a truncated or corrupted transfer) is a mismatch like any other: its raw
  // bytes fail the checksum, so the caller fetches once more and then explains.
  const raw = await readPayload(response, name, onBytes, false);
  return maybeGunzip(raw, name).catch(() => raw);
}

// Reads a response body, reporting progress, and gunzips it unless the server already did.
async function readPayload(
  response: Response,
  name: string,
  onBytes?: (bytes: number) => void,
  gunzip = true,
): Promise<Uint8Array> {
  const decode = (bytes: Uint8Array) => (gunzip ? maybeGunzip(bytes, name) : bytes);
  if (!response.body || !onBytes) return decode(new Uint8Array(await response.arrayBuffer()));
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    onBytes(value.length);
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return decode(bytes);
}
