import { sha256Hex } from '../data/shards.ts';

/**
 * Serialises plain data as canonical JSON: object keys sorted, `undefined` members left out, no
 * whitespace. Two equal values always give the same text, whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`invalid value: ${value} (canonical JSON takes finite numbers only)`);
    }
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error(`invalid value: a ${typeof value} (expected plain JSON data)`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Returns the SHA-256 (hex) of a value's canonical JSON. */
export function hashCanonical(value: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson(value)));
}
