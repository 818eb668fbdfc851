import { isBackendPreference, type BackendPreference } from '../../lib/backendNames.ts';
import { toBudgetName, type BudgetName } from '../budget.ts';
import type { RunProgress, ToolbarView } from '../controller.ts';
import { formatBytes } from '../display/dom.ts';

// The page's `<notebook-toolbar>` as the notebook sees it: the notice line, Stop and Restart, the
// backend badge, the memory meter, and the budget and backend menus it reads.

/** The toolbar view, with what the notebook reads from it (the menus). */
export interface PageToolbar extends ToolbarView {
  budgetName(): BudgetName;
  backendPreference(): BackendPreference;
  /** Calls `listener` when the reader picks another budget. */
  onBudgetChange(listener: () => void): void;
}

/** Wraps the page's toolbar (absent on pages without cells: then every method does nothing). */
export function createToolbarView(toolbar: HTMLElement | null): PageToolbar {
  const find = <E extends HTMLElement>(selector: string) => toolbar?.querySelector<E>(selector) ?? null;
  const noticeLine = find('[data-notice]');
  const badge = find('[data-backend]');
  const meter = find('[data-memory]');
  const budget = find<HTMLSelectElement>('[data-budget]');
  const backend = find<HTMLSelectElement>('[data-backend-select]');
  const stop = find<HTMLButtonElement>('[data-action="stop"]');
  const restart = find<HTMLButtonElement>('[data-action="restart"]');
  const progressLine = find('[data-run-progress]');
  if (restart) restart.disabled = false;
  return {
    notice(text) {
      if (!noticeLine) return;
      noticeLine.hidden = text === null;
      noticeLine.textContent = text ?? '';
    },
    busy(busy) {
      if (stop) stop.disabled = !busy;
    },
    backend(description, name) {
      if (!badge) return;
      badge.textContent = description;
      badge.dataset.backend = name;
    },
    memory({ numTensors, numBytes }) {
      if (!meter) return;
      meter.textContent = `${numTensors.toLocaleString('en-US')} tensors · ${formatBytes(numBytes)}`;
      meter.dataset.tensors = String(numTensors);
    },
    progress: (progress) => showRunProgress(progressLine, progress),
    budgetName: () => toBudgetName(budget?.value),
    backendPreference: () => (isBackendPreference(backend?.value) ? backend.value : 'auto'),
    onBudgetChange: (listener) => budget?.addEventListener('change', listener),
  };
}

/**
 * "Running cell 3 of 7: Train all six variants" with a link that scrolls to it; nothing when one cell
 * runs on its own (its status line says it) or nothing runs.
 */
function showRunProgress(line: HTMLElement | null, progress: RunProgress | null): void {
  if (!line) return;
  line.hidden = progress === null || progress.total < 2;
  if (line.hidden || !progress) return line.replaceChildren();
  const { running, done, total } = progress;
  if (!running) return line.replaceChildren(`${done} of ${total} cells done`);
  const link = document.createElement('a');
  link.href = `#cell-${running.id}`;
  link.textContent = running.title;
  line.replaceChildren(`Running cell ${done + 1} of ${total}: `, link);
}
