import type * as PlotModule from '@observablehq/plot';
import type { EpochRecord, TrainRecord } from '../../lib/train/types.ts';
import { formatNumber, h, table } from './dom.ts';
import { inspect } from './inspector.ts';

/** What the training view needs from the page: Observable Plot for the live chart. */
export interface TrainingViewOptions {
  Plot: typeof PlotModule;
  /** Milliseconds between chart redraws; default 400. */
  redrawEveryMs?: number;
}

const isRecord = (value: unknown): value is TrainRecord =>
  typeof value === 'object' &&
  value !== null &&
  ['step', 'epoch', 'done'].includes((value as { kind?: string }).kind ?? '');

const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);

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

/**
 * Consumes a training run (`train()`/`compare()` records) and shows it live: progress with an ETA, a
 * loss chart per variant, a table row per epoch, and how the run ended. Resolves when the run ends.
 */
export async function renderTraining(
  run: AsyncIterable<unknown>,
  view: HTMLElement,
  options: TrainingViewOptions,
): Promise<void> {
  const { Plot, redrawEveryMs = 400 } = options;
  const status = h('p', { class: 'train-status' }, 'Starting…');
  const progress = h('progress', { class: 'train-progress', 'aria-label': 'Training progress' });
  const chart = h('div', { class: 'train-chart' });
  const epochs = h('div', { class: 'train-epochs' });
  const extra = h('div', {});
  view.append(h('div', { class: 'train-view' }, status, progress, chart, epochs, extra));
  const points: { step: number; loss: number; accuracy: number; variant: string }[] = [];
  const epochRecords: EpochRecord[] = [];
  let lastDraw = 0;
  let hasVariants = false;

  const draw = () => {
    lastDraw = performance.now();
    if (points.length < 2) return;
    const figure = Plot.plot({
      height: 180,
      marginLeft: 48,
      style: { background: 'transparent', color: 'currentColor' },
      x: { label: 'step' },
      y: { label: 'training loss', grid: true },
      color: hasVariants ? { legend: true } : undefined,
      marks: [Plot.lineY(points, { x: 'step', y: 'loss', stroke: hasVariants ? 'variant' : 'currentColor' })],
    });
    figure.setAttribute('aria-label', `Training loss over ${points.length} logged steps`);
    chart.replaceChildren(figure);
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
      const eta = estimateRemainingMs(record.step, record.totalSteps, record.elapsedMs);
      status.textContent =
        `${variant}epoch ${record.epoch} · step ${record.step}/${record.totalSteps} · loss ${formatNumber(record.loss)} · ` +
        `accuracy ${percent(record.accuracy)} · ${formatNumber(Math.round(record.imagesPerSecond))} images/s` +
        (eta === null ? '' : ` · about ${formatDuration(eta)} left`);
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
      if (!hasVariants) progress.remove();
    }
  }
  draw();
}
