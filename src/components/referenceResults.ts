// Build-time side of <ReferenceResults> and <RefFigure>: reads an experiment's committed results
// (content/results/<experiment>.json, written only by `reslab experiment run`), summarises them across
// seeds, and draws Observable Plot figures in Node with a server-side DOM (linkedom), so the page shows
// them as static SVG, readable with JavaScript off.
import { formatPercent } from '../lib/format.ts';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { PaperFigure } from '../lib/paperNumbers.ts';
import { EXPERIMENTS, getExperiment } from '../lib/experiments/registry.ts';
import { variantColors } from '../lib/experiments/colors.ts';
import { parseExperimentResults, type ExperimentResults } from '../lib/experiments/resultsFile.ts';
import { summarizeResults, type ExperimentSummary, type SeedStat } from '../lib/experiments/summarize.ts';

/** Where the committed results live (Astro builds from the project root; this module is bundled elsewhere). */
export const RESULTS_DIR = resolve(process.cwd(), 'content/results');

/** The reference results of an experiment and their summary, or null when none are committed yet. */
export interface Reference {
  results: ExperimentResults;
  summary: ExperimentSummary;
  /** Every variant of the definition, in order (some may have no runs yet). */
  variants: string[];
  /** Whether every variant has a run at every seed the definition asks for. */
  complete: boolean;
}

const cache = new Map<string, Reference | null>();

/** Reads and summarises an experiment's committed results; a bad file fails the build with its problem. */
export function loadReference(experiment: string, dir = RESULTS_DIR): Reference | null {
  const key = `${dir}/${experiment}`;
  if (cache.has(key)) return cache.get(key)!;
  const definition = getExperiment(experiment); // a wrong name fails the build with the valid ones
  const file = resolve(dir, `${experiment}.json`);
  let reference: Reference | null = null;
  if (existsSync(file)) {
    const results = parseExperimentResults(readFileSync(file, 'utf8'), file);
    const variants = results.definition.variants.map((v) => v.name);
    const complete = variants.every((v) =>
      definition.seeds.every((seed) => results.runs.some((r) => r.variant === v && r.seed === seed)),
    );
    reference = { results, summary: summarizeResults(results), variants, complete };
  }
  cache.set(key, reference);
  return reference;
}

/** What a lesson's comparisons take at the page's longer budgets, from its reference runs' own times. */
export interface LessonTimes {
  experiments: string[];
  /** Models a Run all trains (one seed of every variant of every experiment). */
  models: number;
  oneEpochMs: number;
  referenceMs: number;
  /** Where those times were measured, e.g. "wasm SIMD, 1 thread, node v24.21.0 on 2 cores (AMD EPYC)". */
  measuredOn: string;
}

/**
 * The times of a lesson's comparisons at `one-epoch` and `reference`: per variant the median of its
 * reference runs (first epoch, whole run), summed over the lesson's experiments. Null when the lesson
 * runs no experiment or one has a variant not yet trained.
 */
export function lessonTimes(lesson: string, dir = RESULTS_DIR): LessonTimes | null {
  const names = EXPERIMENTS.filter((e) => e.lesson === lesson).map((e) => e.name);
  const references = names.map((name) => loadReference(name, dir));
  if (names.length === 0 || references.some((r) => !r?.summary.oneSeedTime)) return null;
  const times = references.map((r) => r!.summary.oneSeedTime!);
  const provenance = references.flatMap((r) => r!.results.runs.map((run) => run.provenance));
  const where = (p: (typeof provenance)[number]) =>
    `${p.backend.name}${p.backend.simd ? ' SIMD' : ''}, ${p.backend.threads} thread${p.backend.threads === 1 ? '' : 's'}, ${p.runtime} on ${p.cpu.cores} cores (${p.cpu.model})`;
  return {
    experiments: names,
    models: references.reduce((n, r) => n + r!.variants.length, 0),
    oneEpochMs: times.reduce((sum, t) => sum + t.firstEpochMs, 0),
    referenceMs: times.reduce((sum, t) => sum + t.wholeMs, 0),
    measuredOn: [...new Set(provenance.map(where))].join('; '),
  };
}

/** A duration as the page states it: "about 6 min", "under a minute", "about 1 h 10 min". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** Test error as the lessons write it: a percentage with one decimal (the library's formatter). */
export const percent = (fraction: number) => formatPercent(fraction);

/** "12.3% (11.9–12.8%, 3 seeds)" for a test error; "0.404 (0.389–0.423, 3 seeds)" for a loss. */
export function describeStat(stat: SeedStat, metric: 'testError' | 'trainLoss' = 'testError'): string {
  const value = metric === 'testError' ? percent : (x: number) => x.toFixed(3);
  const low = metric === 'testError' ? (100 * stat.min).toFixed(1) : stat.min.toFixed(3);
  if (stat.n === 1) return `${value(stat.mean)} (1 seed)`;
  return `${value(stat.mean)} (${low}–${value(stat.max)}, ${stat.n} seeds)`;
}

/** What <RefFigure> shows. */
export interface FigureRequest {
  variant: string;
  /** `range` (default): the mean with the seeds' min–max; `mean`; `spread`: max − min. */
  show?: 'range' | 'mean' | 'spread';
  /** After this epoch; default the final figures. */
  epoch?: number;
  /** Test error (default) or training loss (the epoch's mean). */
  metric?: 'testError' | 'trainLoss';
}

/**
 * Formats one reference figure for prose ("14.6% (13.7–15.1%, 3 seeds)"); "not yet trained" when the
 * variant has no finished run. A variant the experiment lacks fails the build with the valid ones.
 */
export function formatReferenceFigure(reference: Reference | null, request: FigureRequest): string {
  const { variant, show = 'range', epoch, metric = 'testError' } = request;
  if (reference && !reference.variants.includes(variant))
    throw new Error(
      `invalid variant: ${JSON.stringify(variant)} (expected one of ${reference.variants.join(', ')})`,
    );
  const summary = reference?.summary.variants.find((v) => v.variant === variant);
  const lastEpoch = summary?.epochs.at(-1)?.epoch;
  const row = summary?.epochs.find((e) => e.epoch === (epoch ?? lastEpoch));
  const stat =
    metric === 'trainLoss' ? row?.trainLoss : epoch === undefined ? summary?.final.testError : row?.testError;
  if (!stat) return 'not yet trained';
  if (show === 'mean') return metric === 'testError' ? percent(stat.mean) : stat.mean.toFixed(3);
  if (show === 'spread')
    return metric === 'testError'
      ? `${(100 * (stat.max - stat.min)).toFixed(1)} points`
      : (stat.max - stat.min).toFixed(3);
  return describeStat(stat, metric);
}

function svgOf(figure: Element | SVGElement): string {
  // Plot labels its mark groups with aria-label, which a <g> may carry only with a role (axe:
  // aria-prohibited-attr), as the page's runtime also fixes for live charts (src/cells/display/plot.ts).
  for (const group of figure.querySelectorAll('g[aria-label]:not([role])'))
    group.setAttribute('role', 'group');
  return (figure as unknown as { outerHTML: string }).outerHTML;
}

/**
 * The widths each reference figure is drawn at, at build time: one for wide screens and one for phones
 * (CSS shows the one that fits), so that its text is drawn at its own size rather than scaled down.
 */
export const FIGURE_WIDTHS = { wide: 640, narrow: 340 } as const;

/**
 * Test error per epoch: for each variant the mean across seeds as a line, the min–max range as a band,
 * each seed as a faint dot at the end.
 */
export function renderCurves(reference: Reference, caption: string, width = 640): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const rows = reference.summary.variants.flatMap((v) =>
    v.epochs.map((e) => ({
      variant: v.variant,
      epoch: e.epoch,
      mean: 100 * e.testError.mean,
      min: 100 * e.testError.min,
      max: 100 * e.testError.max,
    })),
  );
  const figure = Plot.plot({
    document: document as unknown as Document,
    caption,
    width,
    height: width < 480 ? 240 : 300,
    marginRight: 20,
    style: { fontSize: '12px' },
    x: { label: 'epoch', tickFormat: 'd', ticks: Math.max(...rows.map((r) => r.epoch)) },
    y: { label: 'test error (%)', grid: true },
    color: { ...variantColors(reference.variants), legend: true },
    marks: [
      Plot.areaY(rows, { x: 'epoch', y1: 'min', y2: 'max', fill: 'variant', fillOpacity: 0.15 }),
      Plot.lineY(rows, { x: 'epoch', y: 'mean', stroke: 'variant', strokeWidth: 2, marker: 'dot' }),
    ],
  });
  return svgOf(figure);
}

/**
 * Final test error per variant: each seed as a dot, the mean as a tick, the min–max as a rule; the
 * paper's figure, when given, in its own panel (a different network, dataset and training length).
 */
export function renderFinal(reference: Reference, caption: string, width = 640): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const seeds = reference.summary.variants.flatMap((v) =>
    v.final.bySeed
      .filter((s) => Number.isFinite(s.testError))
      .map((s) => ({ variant: v.variant, seed: s.seed, error: 100 * s.testError })),
  );
  const stats = reference.summary.variants.flatMap((v) =>
    v.final.testError
      ? [
          {
            variant: v.variant,
            mean: 100 * v.final.testError.mean,
            min: 100 * v.final.testError.min,
            max: 100 * v.final.testError.max,
          },
        ]
      : [],
  );
  const figure = Plot.plot({
    document: document as unknown as Document,
    caption,
    width,
    height: 40 + 28 * reference.variants.length,
    // A phone's narrow figure keeps room for the variant names ("ReLU before addition") and the means.
    marginLeft: width < 480 ? 132 : 150,
    marginRight: width < 480 ? 36 : 60,
    style: { fontSize: '12px' },
    x: { label: 'final test error (%)', grid: true },
    y: { label: null, domain: reference.variants },
    color: variantColors(reference.variants),
    marks: [
      Plot.ruleY(stats, { y: 'variant', x1: 'min', x2: 'max', stroke: 'variant', strokeWidth: 2 }),
      Plot.dot(seeds, { x: 'error', y: 'variant', stroke: 'variant', r: 3.5 }),
      Plot.tickX(stats, { x: 'mean', y: 'variant', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.text(stats, {
        x: 'max',
        y: 'variant',
        text: (d: { mean: number }) => `${d.mean.toFixed(1)}`,
        dx: 8,
        textAnchor: 'start',
      }),
    ],
  });
  return svgOf(figure);
}

/** The paper's figure for each variant, when the table has one (null for "fail" or not reported). */
export function paperFor(figures: readonly PaperFigure[] | undefined, variant: string): PaperFigure | null {
  return figures?.find((f) => f.variant === variant) ?? null;
}
