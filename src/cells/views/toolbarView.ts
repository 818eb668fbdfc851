import { isBackendPreference, type BackendPreference } from '../../lib/backendNames.ts';
import { toBudgetName, type BudgetName } from '../budget.ts';
import type { ToolbarView } from '../controller.ts';
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
    budgetName: () => toBudgetName(budget?.value),
    backendPreference: () => (isBackendPreference(backend?.value) ? backend.value : 'auto'),
    onBudgetChange: (listener) => budget?.addEventListener('change', listener),
  };
}
