/** Returns true when bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with the platform `DecompressionStream` (browsers and Node 18+), so the
 * library needs neither node:zlib nor a JS inflater.
 */
export async function gunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(
      `invalid gzip file ${name}: ${(error as Error).message} (expected a complete gzip stream)`,
      { cause: error },
    );
  }
}

/** Decompresses bytes when they are gzip and returns them unchanged otherwise. */
export async function maybeGunzip(bytes: Uint8Array, name?: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, name) : bytes;
}
