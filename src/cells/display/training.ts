import type * as PlotModule from '@observablehq/plot';
import type * as Library from '../../lib/index.ts';
import type { PaperTable } from '../../lib/paperNumbers.ts';
import type { RunConfig } from '../../lib/train/results.ts';
import type { ResultsStore } from '../../lib/train/resultsStore.ts';
import type { EpochRecord, RunInfo, TrainRecord } from '../../lib/train/types.ts';
import { formatPercent as percent } from '../../lib/format.ts';
import { formatNumber, h, table } from './dom.ts';
import { inspect } from './inspector.ts';
import { drawLossChart, type LossPoint } from './lossChart.ts';
import { chartWidth, labelPlotGroups } from './plot.ts';
import {
  comparisonProgress,
  describeRemaining,
  estimateRemainingMs,
  formatDuration,
} from './trainingProgress.ts';
import { showResults } from './trainingResults.ts';
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
  const { Plot, lib, redrawEveryMs = 400, reference } = options;
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
  const points: LossPoint[] = [];
  const epochRecords: EpochRecord[] = [];
  let lastDraw = 0;
  let drawnWidth = 0;
  let hasVariants = false;
  // For a comparison's overall time left: the time of the variants already finished.
  let currentVariant: string | undefined;
  let finishedMs = 0;
  let lastElapsedMs = 0;

  const draw = () => {
    lastDraw = performance.now();
    if (points.length === 0) return;
    drawnWidth = chartWidth(chart);
    const figure = drawLossChart(Plot, lib, points, { reference, batchSize, hasVariants, width: drawnWidth });
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
  // The chart is drawn at its container's width (Plot draws at a fixed width): redrawn when that changes.
  if (typeof ResizeObserver !== 'undefined')
    new ResizeObserver(() => Math.abs(chartWidth(chart) - drawnWidth) > 16 && draw()).observe(chart);

  if (records.length > 0) await showResults(records, info, options, final, actions, root);
}
