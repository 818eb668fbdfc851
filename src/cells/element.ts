import { budgetNames, toBudgetName } from './budget.ts';
import { readBackendPreference, saveBackendPreference } from './backendPreference.ts';
import type { BackendPreference } from '../lib/backendNames.ts';
import { EditStore, loadBudgetName, openStorage, saveBudgetName } from './storage.ts';
import type { Runtime } from './runtime.ts';

// This module is all a lesson page loads up front: it wires the server-rendered buttons and loads the
// runtime (editor, transpiler; TF.js on the first run) by dynamic import on first interaction.

let runtime: Promise<Runtime> | null = null;

/** Loads the notebook runtime once; cells show a loading state meanwhile. */
function loadRuntime(): Promise<Runtime> {
  runtime ??= import('./runtime.ts').then(({ startRuntime }) => startRuntime());
  runtime.catch((error: unknown) => {
    runtime = null;
    for (const cell of document.querySelectorAll<HTMLElement>('code-cell[data-state="queued"]')) {
      cell.dataset.state = 'error';
      const output = cell.querySelector('.cell-output');
      if (output) output.textContent = `Could not load the notebook runtime: ${(error as Error).message}`;
    }
  });
  return runtime;
}

const isRunKey = (event: KeyboardEvent) =>
  event.key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey);

class CodeCellElement extends HTMLElement {
  connectedCallback() {
    const id = this.dataset.cellId!;
    const action = (name: string) => this.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);
    const run = () => {
      if (!document.documentElement.classList.contains('notebook-ready')) {
        this.dataset.state = 'queued';
        const status = this.querySelector('[data-cell-status]');
        if (status) status.textContent = 'Loading…';
      }
      void loadRuntime().then((loaded) => loaded.run(id));
    };
    const edit = () => void loadRuntime().then((loaded) => loaded.focusEditor(id));
    // Reset cell stays hidden until the reader edits the cell; the runtime wires it.
    for (const name of ['run', 'copy']) action(name)?.removeAttribute('disabled');
    action('run')?.addEventListener('click', run);
    action('copy')?.addEventListener('click', async () => {
      const editor = this.querySelector('.cm-content');
      const source = editor
        ? (editor as HTMLElement).innerText
        : JSON.parse(this.querySelector('script[data-cell-source]')?.textContent ?? '""');
      await navigator.clipboard?.writeText(source);
      const copy = action('copy');
      if (copy) copy.dataset.copied = 'true';
      setTimeout(() => copy?.removeAttribute('data-copied'), 1500);
    });
    const code = this.querySelector<HTMLElement>('.cell-code');
    // The static code turns into an editor when the reader clicks into it or presses Enter on it.
    code?.addEventListener('pointerdown', () => this.querySelector('.cm-editor') === null && edit(), {
      once: true,
    });
    code?.addEventListener('keydown', (event) => {
      if (this.querySelector('.cm-editor') || event.key !== 'Enter' || isRunKey(event)) return;
      event.preventDefault();
      edit();
    });
    this.addEventListener('keydown', (event) => {
      if (!isRunKey(event) || event.defaultPrevented) return;
      event.preventDefault();
      run();
    });
  }
}

class NotebookToolbarElement extends HTMLElement {
  connectedCallback() {
    const { storage } = openStorage();
    const select = this.querySelector<HTMLSelectElement>('[data-budget]');
    if (select) {
      // Beside the menu: what the chosen budget costs on this lesson (rendered per option at build time).
      const time = this.querySelector<HTMLElement>('[data-budget-time]');
      const showTime = () => {
        if (time) time.textContent = select.selectedOptions[0]?.dataset.time ?? '';
      };
      select.value = toBudgetName(loadBudgetName(storage, budgetNames[0]));
      showTime();
      select.disabled = false;
      select.addEventListener('change', () => {
        saveBudgetName(storage, select.value);
        showTime();
      });
    }
    // The backend choice applies from the next first run; once the runtime runs, it switches at once.
    const backend = this.querySelector<HTMLSelectElement>('[data-backend-select]');
    if (backend) {
      backend.value = readBackendPreference(location.search, storage);
      backend.disabled = false;
      backend.addEventListener('change', () => {
        const preference = backend.value as BackendPreference;
        saveBackendPreference(storage, preference);
        void runtime?.then((loaded) => loaded.switchBackend(preference));
      });
    }
    const action = (name: string) => this.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);
    const runAll = action('run-all');
    if (runAll) {
      runAll.disabled = false;
      runAll.addEventListener('click', () => void loadRuntime().then((loaded) => loaded.runAll()));
    }
    // Stop and Restart stay disabled until there is something to stop or restart (the runtime enables them).
    action('stop')?.addEventListener('click', () => void runtime?.then((loaded) => loaded.stop()));
    action('restart')?.addEventListener('click', () => void runtime?.then((loaded) => loaded.restart()));
    // A reader who edited a cell before must see that edit at once, so the editor loads now.
    const ids = [...document.querySelectorAll<HTMLElement>('code-cell')].map((cell) => cell.dataset.cellId!);
    if (new EditStore(this.dataset.lesson ?? location.pathname).hasEdits(ids)) void loadRuntime();
  }
}

customElements.define('code-cell', CodeCellElement);
customElements.define('notebook-toolbar', NotebookToolbarElement);
