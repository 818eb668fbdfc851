import type { RunInfo } from '../../lib/train/types.ts';

/**
 * An experiment's reference training curves as a lesson page embeds them (<ReferenceResults>): per
 * variant, points of [images seen, mean, min, max] of the training loss across seeds.
 */
export interface ReferenceOverlay {
  experiment: string;
  /** How the reference reads in a legend, e.g. "reference: 3 seeds, 4 epochs". */
  label: string;
  /** Every variant of the experiment, in order (fixes each one's colour). */
  variants: string[];
  curves: { variant: string; points: [number, number, number, number][] }[];
}

const isOverlay = (value: unknown): value is ReferenceOverlay =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ReferenceOverlay).variants) &&
  Array.isArray((value as ReferenceOverlay).curves);

/**
 * Finds the page's reference for a run: the one that shares the most variants with it (`compare()`;
 * variants the reference lacks, such as a depth only the page's budget trains, are drawn without one),
 * or, for a single `train()` run, the page's only single-variant reference. Null when none fits.
 */
export function findReference(root: ParentNode, info: RunInfo | undefined): ReferenceOverlay | null {
  const references = [...root.querySelectorAll('script[data-reference-data]')].flatMap((script) => {
    try {
      const value: unknown = JSON.parse(script.textContent ?? '');
      return isOverlay(value) ? [value] : [];
    } catch {
      return [];
    }
  });
  const wanted = info?.variants;
  if (wanted && wanted.length > 0) {
    const shared = (r: ReferenceOverlay) => wanted.filter((name) => r.variants.includes(name)).length;
    const best = references.reduce<ReferenceOverlay | null>(
      (a, r) => (shared(r) > (a ? shared(a) : 0) ? r : a),
      null,
    );
    return best;
  }
  const single = references.filter((r) => r.variants.length === 1);
  return single.length === 1 ? single[0] : null;
}
