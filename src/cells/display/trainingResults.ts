import type { PaperTable } from '../../lib/paperNumbers.ts';
import { formatPercent as percent } from '../../lib/format.ts';
import type { RunConfig, RunResult } from '../../lib/train/results.ts';
import type { RunInfo, TrainRecord } from '../../lib/train/types.ts';
import { formatNumber, h, table } from './dom.ts';
import type { TrainingLibrary, TrainingViewOptions } from './training.ts';
import { formatDuration } from './trainingProgress.ts';

// What the training view shows once a run has ended: the final figures (beside the paper's, when a
// cell gives them), saving to the page's results store, export (JSON, CSV) and import of earlier runs.

/**
 * Shows a finished run's results in `final` and its actions (save note, downloads, import) in
 * `actions`; marks `root` finished.
 */
export async function showResults(
  records: readonly TrainRecord[],
  info: RunInfo | undefined,
  options: TrainingViewOptions,
  final: HTMLElement,
  actions: HTMLElement,
  root: HTMLElement,
): Promise<void> {
  const { lib, paper } = options;
  const hasVariants = records.some((record) => record.variant !== undefined);
  const config: Omit<RunConfig, 'variant'> = {
    model: info?.model || 'model',
    seed: info?.seed ?? 0,
    budget: options.context?.budget ?? 'unknown',
    backend: options.context?.backend ?? 'unknown',
    device: options.context?.device ?? 'unknown',
    ...(options.context?.lesson ? { lesson: options.context.lesson } : {}),
    ...(info ? { options: info.options } : {}),
  };
  const results = hasVariants
    ? lib.createRunResults(config, [...records])
    : [lib.createRunResult(config, [...records])];
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

function download(label: string, fileName: string, text: string, type: string): HTMLAnchorElement {
  const link = h('a', { class: 'cell-button', download: fileName, 'data-export': type }, label);
  link.href = URL.createObjectURL(new Blob([text], { type }));
  return link;
}

/** Formats a paper's figures for one variant: `6.61`, `fail`, or several with their labels. */
function formatPaperFigures(lib: TrainingLibrary, paper: PaperTable, variant: string): string {
  const figures = lib.findPaperFigures(paper, variant);
  const value = (error: number | null) => (error === null ? 'fail' : error.toFixed(2));
  if (figures.length <= 1) return figures.length === 0 ? '–' : value(figures[0].error);
  return figures.map((f) => `${value(f.error)} (${f.label})`).join('; ');
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
