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

/**
 * Formats a shape as "1×64×56×56" (traces and tables), or with `brackets` as "[1, 64, 56, 56]" (cell
 * views, as the array a cell's code writes). An unknown (null) dimension is the batch.
 */
export function formatShape(shape: readonly (number | null)[], { brackets = false } = {}): string {
  const dims = shape.map((d) => (d === null ? 'batch' : String(d)));
  return brackets ? `[${dims.join(', ')}]` : dims.join('×');
}

/** Formats a fraction as a percentage with one decimal, 0.1234 → "12.3%"; `missing` for undefined or NaN. */
export function formatPercent(fraction: number | undefined, missing = '–'): string {
  return fraction === undefined || !Number.isFinite(fraction) ? missing : `${(100 * fraction).toFixed(1)}%`;
}
