import type * as PlotModule from '@observablehq/plot';
import type * as Library from '../../lib/index.ts';
import type { PaperTable } from '../../lib/paperNumbers.ts';
import type { RunConfig, RunResult } from '../../lib/train/results.ts';
import type { ResultsStore } from '../../lib/train/resultsStore.ts';
import type { EpochRecord, RunInfo, TrainRecord } from '../../lib/train/types.ts';
import { formatPercent as percent } from '../../lib/format.ts';
import { formatNumber, h, table } from './dom.ts';
import { inspect } from './inspector.ts';
import { labelPlotGroups } from './plot.ts';
import type { ReferenceOverlay } from './reference.ts';

/** What a cell can ask of the training view (`display.training(run, options)`). */
export interface TrainingDisplayOptions {
  /** A paper table (e.g. `identityMappingsTable1`) whose figures are shown beside each variant's result. */
  paper?: PaperTable;
  /** Keeps the finished run in this browser (IndexedDB) for export and later comparison. Default true. */
  save?: boolean;
}

/** Where and on what the run happens; recorded with saved results. */
export type RunContext = Pick<RunConfig, 'budget' | 'backend' | 'device'> & { lesson?: string };

/** Everything the training view needs: Observable Plot, the page's context and its results store. */
/**
 * What the training view takes from the library. It is passed in (the prelude's `lib`), not imported:
 * the library comes with TF.js, which the page loads on the first Run, not with the runtime.
 */
export type TrainingLibrary = Pick<
  typeof Library,
  | 'createRunResult'
  | 'createRunResults'
  | 'findPaperFigures'
  | 'parseResults'
  | 'resultsToCSV'
  | 'resultsToJSON'
  | 'variantColors'
>;

export interface TrainingViewOptions extends TrainingDisplayOptions {
  Plot: typeof PlotModule;
  lib: TrainingLibrary;
  /** Milliseconds between chart redraws; default 400. */
  redrawEveryMs?: number;
  /** Where finished runs are saved; null or absent: not saved. */
  store?: ResultsStore | null;
  /** Budget, backend, device and lesson of the run. Default unknown. */
  context?: RunContext;
  /** The page's reference curves for this comparison: drawn on the same axes, labelled apart. */
  reference?: ReferenceOverlay | null;
}

const isRecord = (value: unknown): value is TrainRecord =>
  typeof value === 'object' &&
  value !== null &&
  ['step', 'epoch', 'done'].includes((value as { kind?: string }).kind ?? '');

/** Formats milliseconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = String(seconds % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Estimates the time left from the time spent on the steps done so far. */
export function estimateRemainingMs(step: number, totalSteps: number, elapsedMs: number): number | null {
  return step > 0 && totalSteps >= step ? (elapsedMs * (totalSteps - step)) / step : null;
}

/** "about 1:05 left", or "finishing" when less than a second is left (the test pass may still run). */
export function describeRemaining(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? 'finishing' : `about ${formatDuration(ms)} left`;
}

/**
 * Progress of a comparison: which variant of how many, and the time left for all of them, from the
 * steps done so far (each variant trains the same number of steps). Null for a single run.
 */
export function comparisonProgress(
  variants: readonly string[] | undefined,
  record: { variant?: string; step: number; totalSteps: number; elapsedMs: number },
  finishedMs: number,
): { label: string; remainingMs: number | null } | null {
  const index = record.variant === undefined ? -1 : (variants ?? []).indexOf(record.variant);
  if (!variants || variants.length < 2 || index < 0) return null;
  const done = index + record.step / record.totalSteps;
  const spent = finishedMs + record.elapsedMs;
  return {
    label: `variant ${index + 1} of ${variants.length}`,
    remainingMs: done > 0 ? (spent * (variants.length - done)) / done : null,
  };
}

/** Formats a paper's figures for one variant: `6.61`, `fail`, or several with their labels. */
export function formatPaperFigures(lib: TrainingLibrary, paper: PaperTable, variant: string): string {
  const figures = lib.findPaperFigures(paper, variant);
  const value = (error: number | null) => (error === null ? 'fail' : error.toFixed(2));
  if (figures.length <= 1) return figures.length === 0 ? '–' : value(figures[0].error);
  return figures.map((f) => `${value(f.error)} (${f.label})`).join('; ');
}

function download(label: string, fileName: string, text: string, type: string): HTMLAnchorElement {
  const link = h('a', { class: 'cell-button', download: fileName, 'data-export': type }, label);
  link.href = URL.createObjectURL(new Blob([text], { type }));
  return link;
}

/**
 * Consumes a training run (`train()`/`compare()` records) and shows it live: progress with an ETA, a
 * loss chart (one line per variant), a table row per epoch, and at the end a table of final figures
 * (with the paper's, when given), a clear message for a diverged run, and buttons to export the results
 * (JSON, CSV) or import earlier ones beside them. Finished runs are saved to the results store.
 * Resolves when the run ends.
 */
export async function renderTraining(
  run: AsyncIterable<unknown>,
  view: HTMLElement,
  options: TrainingViewOptions,
): Promise<void> {
  const { Plot, lib, redrawEveryMs = 400, paper, reference } = options;
  // With a reference the x axis is images seen (the reader's batch and budget differ from the reference's).
  const info = (run as { info?: RunInfo }).info;
  const batchSize = Number(info?.options.batchSize ?? 64);
  const status = h('p', { class: 'train-status' }, 'Starting…');
  const progress = h('progress', { class: 'train-progress', 'aria-label': 'Training progress' });
  const alerts = h('div', { class: 'train-alerts' });
  const chart = h('div', { class: 'train-chart' });
  const epochs = h('div', { class: 'train-epochs' });
  const final = h('div', { class: 'train-final' });
  const actions = h('div', { class: 'train-actions' });
  const extra = h('div', {});
  const root = h(
    'div',
    { class: 'train-view' },
    status,
    progress,
    alerts,
    chart,
    epochs,
    final,
    actions,
    extra,
  );
  view.append(root);
  const records: TrainRecord[] = [];
  const points: { step: number; loss: number; accuracy: number; variant: string }[] = [];
  const epochRecords: EpochRecord[] = [];
  let lastDraw = 0;
  let hasVariants = false;
  // For a comparison's overall time left: the time of the variants already finished.
  let currentVariant: string | undefined;
  let finishedMs = 0;
  let lastElapsedMs = 0;

  const draw = () => {
    lastDraw = performance.now();
    if (points.length === 0) return;
    // A short run (the quick budget logs a step or two per variant) is drawn as points too, so it shows.
    const few = points.length <= 40;
    const key = hasVariants ? 'variant' : 'currentColor';
    const figure = reference
      ? drawWithReference(Plot, lib, reference, points, batchSize)
      : Plot.plot({
          height: 180,
          marginLeft: 48,
          style: { background: 'transparent', color: 'currentColor' },
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
    figure.setAttribute(
      'aria-label',
      `Training loss over ${points.length} logged steps${reference ? `, beside the ${reference.label}` : ''}`,
    );
    labelPlotGroups(figure);
    chart.replaceChildren(figure);
    chart.dataset.points = String(points.length);
  };
  const drawEpochs = () => {
    const rows = epochRecords.map((r) => [
      ...(hasVariants ? [r.variant ?? ''] : []),
      String(r.epoch),
      formatNumber(r.trainLoss),
      percent(r.trainAccuracy),
      r.testLoss === undefined ? '–' : formatNumber(r.testLoss),
      percent(r.testAccuracy),
    ]);
    const head = [
      ...(hasVariants ? ['Variant'] : []),
      'Epoch',
      'Train loss',
      'Train acc.',
      'Test loss',
      'Test acc.',
    ];
    epochs.replaceChildren(
      table(
        'Per epoch',
        head,
        rows,
        head.map((name) => name !== 'Variant'),
      ),
    );
  };

  for await (const record of run) {
    if (!isRecord(record)) {
      extra.append(inspect(record, false));
      continue;
    }
    records.push(record);
    if (record.variant !== undefined) hasVariants = true;
    const variant = record.variant ? `${record.variant}: ` : '';
    if (record.kind === 'step') {
      points.push({
        step: record.step,
        loss: record.loss,
        accuracy: record.accuracy,
        variant: record.variant ?? '',
      });
      progress.max = record.totalSteps;
      progress.value = record.step;
      if (record.variant !== currentVariant) {
        finishedMs += lastElapsedMs;
        currentVariant = record.variant;
      }
      lastElapsedMs = record.elapsedMs;
      const eta = describeRemaining(estimateRemainingMs(record.step, record.totalSteps, record.elapsedMs));
      const overall = comparisonProgress(info?.variants, record, finishedMs);
      status.textContent =
        (overall ? `${overall.label} · ` : '') +
        `${variant}epoch ${record.epoch} · step ${record.step}/${record.totalSteps} · loss ${formatNumber(record.loss)} · ` +
        `accuracy ${percent(record.accuracy)} · ${formatNumber(Math.round(record.imagesPerSecond))} images/s` +
        (eta ? ` · ${eta}` : '') +
        (overall?.remainingMs != null ? ` · all variants: ${describeRemaining(overall.remainingMs)}` : '');
      if (performance.now() - lastDraw > redrawEveryMs) draw();
    } else if (record.kind === 'epoch') {
      epochRecords.push(record);
      drawEpochs();
    } else {
      draw();
      const best = record.best
        ? ` Best test accuracy ${percent(record.best.testAccuracy)} (epoch ${record.best.epoch}).`
        : '';
      const how = { completed: 'Finished', aborted: 'Stopped', diverged: 'Diverged' }[record.reason];
      status.textContent = `${variant}${how} after ${formatDuration(record.elapsedMs)}.${best}${record.message ? ` ${record.message}` : ''}`;
      root.dataset.reason = record.reason;
      if (record.reason === 'diverged') {
        alerts.append(
          h(
            'p',
            { class: 'cell-error train-diverged', role: 'alert' },
            h('strong', {}, `${variant}Training diverged. `),
            `${record.message ?? 'The loss is no longer a finite number.'} The weights are now useless; build the model again before training it.`,
          ),
        );
      }
      if (!hasVariants) progress.remove();
    }
  }
  draw();

  const config: Omit<RunConfig, 'variant'> = {
    model: info?.model || 'model',
    seed: info?.seed ?? 0,
    budget: options.context?.budget ?? 'unknown',
    backend: options.context?.backend ?? 'unknown',
    device: options.context?.device ?? 'unknown',
    ...(options.context?.lesson ? { lesson: options.context.lesson } : {}),
    ...(info ? { options: info.options } : {}),
  };
  if (records.length === 0) return;
  const results = hasVariants
    ? lib.createRunResults(config, records)
    : [lib.createRunResult(config, records)];
  const rows: RunResult[] = [...results];
  const drawFinal = () => final.replaceChildren(renderFinalTable(lib, rows, results.length, paper));
  drawFinal();
  root.dataset.state = 'finished';

  const lesson = options.context?.lesson ?? 'unknown';
  const note = h('span', { class: 'train-saved' });
  if (options.save !== false && options.store) {
    try {
      for (const result of results) await options.store.save(lesson, result);
      note.textContent = 'Saved in this browser.';
    } catch (error) {
      note.textContent = `Not saved: ${(error as Error).message}`;
    }
  }
  const slug = lesson.replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '') || 'results';
  const picker = h('input', { type: 'file', accept: '.json,application/json', 'data-import': '' });
  const importError = h('p', { class: 'cell-error', role: 'alert', hidden: '' });
  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    if (!file) return;
    try {
      const imported = lib.parseResults(await file.text());
      rows.push(...imported);
      importError.hidden = true;
      drawFinal();
    } catch (error) {
      importError.hidden = false;
      importError.textContent = (error as Error).message;
    }
    picker.value = '';
  });
  actions.append(
    download(
      'Download results (JSON)',
      `reslab-${slug}.json`,
      lib.resultsToJSON(results),
      'application/json',
    ),
    ' ',
    download('Download results (CSV)', `reslab-${slug}.csv`, lib.resultsToCSV(results), 'text/csv'),
    ' ',
    h('label', { class: 'train-import' }, 'Compare with earlier results (JSON): ', picker),
    ' ',
    note,
    importError,
  );
}

/**
 * The live loss chart on the reference's axes: for each variant the reader trains, the reference's mean
 * across seeds (dashed) and its min–max band, and the reader's run (solid), over images seen.
 */
function drawWithReference(
  Plot: typeof PlotModule,
  lib: TrainingLibrary,
  reference: ReferenceOverlay,
  points: { step: number; loss: number; variant: string }[],
  batchSize: number,
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
    height: 220,
    marginLeft: 48,
    caption: `Solid: your run. Dashed, with a band from the best to the worst seed: the ${reference.label} (experiment ${reference.experiment}).`,
    style: { background: 'transparent', color: 'currentColor' },
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

/** The table of final figures: one row per run (runs after `ownCount` are imported ones). */
function renderFinalTable(
  lib: TrainingLibrary,
  runs: readonly RunResult[],
  ownCount: number,
  paper?: PaperTable,
): HTMLElement {
  const head = [
    'Run',
    'Ended',
    'Train loss',
    'Train acc.',
    'Test acc.',
    'Test error',
    ...(paper ? [`Paper error (${paper.table})`] : []),
    'Time',
  ];
  const rows = runs.map((run, i) => {
    const name = run.config.variant ?? run.config.model;
    const f = run.final;
    return [
      i < ownCount ? name : `${name} (imported, ${run.createdAt.slice(0, 10)}, ${run.config.budget})`,
      f.reason,
      f.trainLoss === undefined ? '–' : formatNumber(f.trainLoss),
      percent(f.trainAccuracy),
      percent(f.testAccuracy),
      f.testAccuracy === undefined ? '–' : `${((1 - f.testAccuracy) * 100).toFixed(1)}%`,
      ...(paper ? [run.config.variant ? formatPaperFigures(lib, paper, run.config.variant) : '–'] : []),
      formatDuration(f.elapsedMs),
    ];
  });
  const view = h(
    'div',
    {},
    table(
      'Final figures',
      head,
      rows,
      head.map((_, i) => i >= 2),
    ),
  );
  if (paper)
    view.append(
      h(
        'p',
        { class: 'train-paper-note' },
        `Paper: ${paper.source}, ${paper.table} (${paper.setting}). Your runs use other data and far less training, so compare the ranking of the variants, not the values.`,
      ),
    );
  return view;
}
