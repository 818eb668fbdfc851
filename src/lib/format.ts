/* Number and shape formatting shared by the CLI, the lesson pages and the cell views. */

/** Formats an integer with thousands separators: 25557032 → "25,557,032". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Formats a MAC count compactly: 4089184256 → "4.09 G". */
export function formatMacs(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} K`;
  return String(n);
}

/** Formats a shape as "1×64×56×56". */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}
