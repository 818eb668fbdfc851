import type * as PlotModule from '@observablehq/plot';
import type { ReferenceOverlay } from './reference.ts';
import type { TrainingLibrary } from './training.ts';

// The training view's live loss chart: one line per variant over steps, or, when the page has the
// experiment's reference curves, the reader's run drawn over them on images seen.

/** One logged step of the run. */
export interface LossPoint {
  step: number;
  loss: number;
  accuracy: number;
  /** The variant of a comparison ('' for a single run). */
  variant: string;
}

/** Draws the loss chart of the steps logged so far. */
export function drawLossChart(
  Plot: typeof PlotModule,
  lib: TrainingLibrary,
  points: readonly LossPoint[],
  {
    reference,
    batchSize,
    hasVariants,
    width,
  }: { reference?: ReferenceOverlay | null; batchSize: number; hasVariants: boolean; width: number },
): SVGElement | HTMLElement {
  if (reference) return drawWithReference(Plot, lib, reference, points, batchSize, width);
  // A short run (the quick budget logs a step or two per variant) is drawn as points too, so it shows.
  const few = points.length <= 40;
  const key = hasVariants ? 'variant' : 'currentColor';
  return Plot.plot({
    width,
    height: 180,
    marginLeft: 48,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { label: 'step' },
    y: { label: 'training loss', grid: true },
    // Variants in training order get the reference charts’ colours (src/lib/experiments/colors.ts).
    color: hasVariants
      ? { legend: true, ...lib.variantColors([...new Set(points.map((p) => p.variant))]) }
      : undefined,
    marks: [
      // z set explicitly: a short run's series have a point or two, which Plot would warn about.
      Plot.lineY(points, { x: 'step', y: 'loss', stroke: key, z: hasVariants ? 'variant' : null }),
      ...(few ? [Plot.dot(points, { x: 'step', y: 'loss', fill: key, r: 2.5 })] : []),
    ],
  });
}

/**
 * The live loss chart on the reference's axes: for each variant the reader trains, the reference's mean
 * across seeds (dashed) and its min–max band, and the reader's run (solid), over images seen.
 */
function drawWithReference(
  Plot: typeof PlotModule,
  lib: TrainingLibrary,
  reference: ReferenceOverlay,
  points: readonly LossPoint[],
  batchSize: number,
  width: number,
): SVGElement | HTMLElement {
  const trained = new Set(points.map((p) => p.variant || reference.variants[0]));
  const ref = reference.curves
    .filter((c) => trained.has(c.variant))
    .flatMap((c) =>
      c.points.map(([images, mean, min, max]) => ({ variant: c.variant, images, mean, min, max })),
    );
  const yours = points.map((p) => ({
    variant: p.variant || reference.variants[0],
    images: p.step * batchSize,
    loss: p.loss,
  }));
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 48,
    caption: `Solid: your run. Dashed, with a band from the best to the worst seed: the ${reference.label} (experiment ${reference.experiment}).`,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    // Log scale: a quick run's few dozen images and the reference's tens of thousands on one axis.
    x: { type: 'log', label: 'images seen (log scale)' },
    y: { label: 'training loss', grid: true },
    // The reference's variants keep their colours; any the reference lacks come after them.
    color: {
      legend: true,
      ...lib.variantColors([...new Set([...reference.variants, ...yours.map((p) => p.variant)])]),
    },
    marks: [
      Plot.areaY(ref, {
        x: 'images',
        y1: 'min',
        y2: 'max',
        fill: 'variant',
        z: 'variant',
        fillOpacity: 0.12,
      }),
      Plot.lineY(ref, {
        x: 'images',
        y: 'mean',
        stroke: 'variant',
        strokeDasharray: '4 3',
        strokeOpacity: 0.8,
      }),
      Plot.lineY(yours, { x: 'images', y: 'loss', stroke: 'variant', z: 'variant', strokeWidth: 2 }),
    ],
  });
}
