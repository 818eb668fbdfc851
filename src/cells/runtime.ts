import { describeBackend, isBackendPreference, type BackendPreference } from '../lib/backendNames.ts';
import { resolveBudget, toBudgetName } from './budget.ts';
import { formatBytes } from './display/dom.ts';
import { createEditor, type CellEditor } from './editor.ts';
import { cellOfError, executeCell, findCellFrame, toError } from './execute.ts';
import { releaseAllocation, type Allocation } from './hygiene.ts';
import { declaredAbove, type CellState } from './notebook.ts';
import type { Declaration } from './display/error.ts';
import { loadPrelude, perRunNames, type Prelude } from './prelude.ts';
import { Scheduler } from './scheduler.ts';
import { EditStore } from './storage.ts';
import { NotebookScope } from './scope.ts';
import { analyseCell } from './transpile.ts';

/** What the small `<code-cell>` element asks of the runtime once it has loaded. */
export interface Runtime {
  run(id: string): Promise<void>;
  runAll(): Promise<void>;
  stop(): void;
  restart(): Promise<void>;
  /** Starts another backend: the notebook restarts, since tensors do not move between backends. */
  switchBackend(preference: BackendPreference): Promise<void>;
  focusEditor(id: string): void;
}

interface Cell {
  id: string;
  element: HTMLElement;
  original: string;
  editor: CellEditor;
  output: HTMLElement;
  allocation: Allocation | null;
}

const stateText: Record<CellState, string> = {
  idle: '',
  queued: 'Queued',
  running: 'Running…',
  done: 'Done',
  error: 'Error',
  stopped: 'Stopped',
  stale: 'Stale: an input changed',
};

function button(label: string, text: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'cell-button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Starts the notebook on this page: editors in every cell (with the reader's saved edits), one shared
 * scope, the scheduler, and the toolbar (Run all, Stop, Restart, budget, backend badge, memory meter).
 */
export function startRuntime(root: Document = document): Runtime {
  const toolbar = root.querySelector<HTMLElement>('notebook-toolbar');
  const lesson = toolbar?.dataset.lesson ?? location.pathname;
  const store = new EditStore(lesson);
  const scope = new NotebookScope();
  let prelude: Promise<Prelude> | null = null;
  let deviceLossNotice: string | null = null;
  let lastRun: Cell | null = null;

  const notice = (text: string | null) => {
    const element = toolbar?.querySelector<HTMLElement>('[data-notice]');
    if (!element) return;
    element.hidden = text === null;
    element.textContent = text ?? '';
  };
  if (!store.persistent)
    notice(
      'Your edits cannot be saved in this browser (storage is unavailable); they last until you leave the page.',
    );

  const cells: Cell[] = [...root.querySelectorAll<HTMLElement>('code-cell')].map((element) => {
    const id = element.dataset.cellId!;
    const original = JSON.parse(
      element.querySelector('script[data-cell-source]')!.textContent ?? '""',
    ) as string;
    const saved = store.load(id, original);
    const code = element.querySelector<HTMLElement>('.cell-code')!;
    code.replaceChildren();
    const editor = createEditor({
      parent: code,
      doc: saved?.source ?? original,
      label: `Code of cell ${id}`,
      onChange: (source) => edited(id, source),
      onRun: (stay) => {
        void runtime.run(id);
        if (!stay) focusNext(id);
      },
      onEscape: () => element.querySelector<HTMLButtonElement>('[data-action="run"]')?.focus(),
    });
    if (saved?.isOutdated) showOutdated(element, id, original);
    return {
      id,
      element,
      original,
      editor,
      output: element.querySelector<HTMLElement>('.cell-output')!,
      allocation: null,
    };
  });
  const cellById = (id: string) => cells.find((cell) => cell.id === id)!;

  function showOutdated(element: HTMLElement, id: string, original: string) {
    const box = element.querySelector<HTMLElement>('[data-cell-notice]');
    if (!box) return;
    box.hidden = false;
    box.replaceChildren(
      'The lesson’s code for this cell changed since you edited it. ',
      button('Keep my edit', 'Keep my edit', () => {
        store.keep(id, original);
        box.hidden = true;
      }),
      ' ',
      button('Use the lesson’s version', 'Use the lesson’s version', () => {
        resetCell(id);
        box.hidden = true;
      }),
    );
  }

  function syncEditedMark(cell: Cell) {
    const isEdited = cell.editor.getSource() !== cell.original;
    cell.element.toggleAttribute('data-edited', isEdited);
    const reset = cell.element.querySelector<HTMLButtonElement>('[data-action="reset"]');
    if (reset) reset.hidden = !isEdited;
  }

  function edited(id: string, source: string) {
    const cell = cellById(id);
    store.save(id, cell.original, source);
    if (!store.persistent)
      notice(
        'Your edits cannot be saved in this browser (storage is unavailable or full); they last until you leave the page.',
      );
    scheduler.edit(id, source);
    syncEditedMark(cell);
  }

  function resetCell(id: string) {
    const cell = cellById(id);
    store.reset(id);
    cell.editor.setSource(cell.original);
    cell.element.querySelector<HTMLElement>('[data-cell-notice]')?.setAttribute('hidden', '');
  }

  function focusNext(id: string) {
    const next = cells[cells.findIndex((cell) => cell.id === id) + 1];
    if (next) next.editor.focus();
  }

  const analyse = (_id: string, source: string) => analyseCell(source);

  // Which cell declares a name, for "x is not defined" errors: the nearest one above, else one below.
  const findDeclaration = (name: string, readerId: string): Declaration | null => {
    const reader = scheduler.cells.findIndex((cell) => cell.id === readerId);
    const declaring = scheduler.cells.map((cell, index) => ({ cell, index }));
    const above = declaring.filter(({ cell, index }) => index < reader && cell.outputs.includes(name)).at(-1);
    const below = declaring.find(({ cell, index }) => index > reader && cell.outputs.includes(name));
    if (above) return { cellId: above.cell.id, isLater: false };
    return below ? { cellId: below.cell.id, isLater: true } : null;
  };

  const budgetSelect = toolbar?.querySelector<HTMLSelectElement>('[data-budget]');
  const badge = toolbar?.querySelector<HTMLElement>('[data-backend]');
  const meter = toolbar?.querySelector<HTMLElement>('[data-memory]');
  const controls = (name: string) => toolbar?.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);

  const updateMeter = (loaded: Prelude | null) => {
    if (!meter || !loaded) return;
    const { numTensors, numBytes } = loaded.tf.memory();
    meter.textContent = `${numTensors.toLocaleString('en-US')} tensors · ${formatBytes(numBytes)}`;
    meter.dataset.tensors = String(numTensors);
  };
  let loadedPrelude: Prelude | null = null;
  setInterval(() => scheduler.isBusy && updateMeter(loadedPrelude), 1000);

  const backendSelect = toolbar?.querySelector<HTMLSelectElement>('[data-backend-select]');
  const askedBackend = new URLSearchParams(location.search).get('backend');
  if (askedBackend !== null && !isBackendPreference(askedBackend))
    notice(
      `Unknown backend in the address: ?backend=${askedBackend} (expected one of auto, webgpu, webgl, wasm, cpu); the page chooses one itself.`,
    );
  const preference = (): BackendPreference =>
    isBackendPreference(backendSelect?.value) ? backendSelect.value : 'auto';
  const showBackend = (loaded: Prelude) => {
    if (!badge) return;
    badge.textContent = `Backend: ${describeBackend(loaded.backend)}`;
    badge.dataset.backend = loaded.backend.name;
  };

  const ensurePrelude = async (): Promise<Prelude> => {
    prelude ??= loadPrelude((message) => {
      deviceLossNotice = `The GPU device was lost (${message}). Everything computed is gone; the next run starts a fresh device.`;
      notice(deviceLossNotice);
      // The op that failed says only "mapAsync failed" or the like (and may fail before or after this
      // callback), so the cell that was running, or has just failed, is told the reason.
      if (lastRun && ['running', 'error', 'stopped'].includes(lastRun.element.dataset.state ?? ''))
        lastRun.output.append(
          Object.assign(document.createElement('p'), {
            className: 'cell-error',
            textContent:
              'The GPU device was lost while this cell ran; run it again to start on a fresh device.',
          }),
        );
    }, preference());
    try {
      loadedPrelude = await prelude;
    } catch (error) {
      prelude = null; // let the next run try again (a network hiccup, say)
      throw error;
    }
    if (loadedPrelude.deviceLoss() !== null) {
      releaseEverything();
      loadedPrelude.backend = await loadedPrelude.reinitBackend();
      notice(null);
    }
    showBackend(loadedPrelude);
    return loadedPrelude;
  };

  const releaseEverything = () => {
    for (const cell of cells) {
      if (cell.allocation) releaseAllocation(cell.allocation);
      cell.allocation = null;
    }
    scope.clear();
  };

  const scheduler = new Scheduler(
    cells.map((cell) => ({ id: cell.id, source: cell.editor.getSource() })),
    {
      analyse,
      async execute(id, signal) {
        const cell = cellById(id);
        lastRun = cell;
        cell.output.replaceChildren();
        cell.editor.showError(null);
        let loaded: Prelude;
        try {
          if (!loadedPrelude)
            cell.output.append(
              Object.assign(document.createElement('p'), {
                className: 'cell-loading',
                textContent: 'Loading TensorFlow.js…',
              }),
            );
          loaded = await ensurePrelude();
        } catch (error) {
          cell.output.replaceChildren(`Could not load TensorFlow.js: ${(error as Error).message}`);
          return false;
        }
        cell.output.replaceChildren();
        // Re-running a cell frees what its previous run made (tensors, model weights).
        if (cell.allocation) releaseAllocation(cell.allocation);
        cell.allocation = null;
        const budget = resolveBudget(toBudgetName(budgetSelect?.value));
        const result = await executeCell({
          id,
          findDeclaration: (name) => findDeclaration(name, id),
          declaredElsewhere: declaredAbove(
            scheduler.cells,
            scheduler.cells.findIndex((c) => c.id === id),
          ),
          source: cell.editor.getSource(),
          output: cell.output,
          prelude: loaded,
          scope,
          signal,
          budget,
        });
        if (result.ok) cell.allocation = result.allocation;
        else releaseAllocation(result.allocation);

        cell.editor.showError(result.errorPosition);
        updateMeter(loaded);
        return result.ok;
      },
      cancel(id) {
        cellById(id).output.append(
          Object.assign(document.createElement('p'), {
            className: 'cell-notice',
            textContent: 'Not run: it was queued when you pressed Stop. Run it again when you want it.',
          }),
        );
      },
      skip(id, failedId) {
        const cell = cellById(id);
        cell.output.replaceChildren(
          Object.assign(document.createElement('p'), {
            className: 'cell-error',
            textContent: `Not run: cell “${failedId}”, which this cell needs, failed.`,
          }),
        );
      },
      change(id, state) {
        const cell = cellById(id);
        cell.element.dataset.state = state;
        const status = cell.element.querySelector<HTMLElement>('[data-cell-status]');
        if (status) status.textContent = stateText[state];
        const busy = scheduler?.isBusy ?? false;
        const stop = controls('stop');
        if (stop) stop.disabled = !busy;
      },
    },
  );
  for (const cell of cells) {
    syncEditedMark(cell);
    const reset = cell.element.querySelector<HTMLButtonElement>('[data-action="reset"]');
    reset?.removeAttribute('disabled');
    reset?.addEventListener('click', () => {
      resetCell(cell.id);
      cell.element.querySelector<HTMLButtonElement>('[data-action="run"]')?.focus();
    });
  }
  root.documentElement.classList.add('notebook-ready');
  // The budget is an input of every cell that reads it: changing it marks them (and what they made) stale.
  budgetSelect?.addEventListener('change', () => scheduler.invalidate(['budget']));

  const restart = async () => {
    await scheduler.restart();
    if (loadedPrelude) {
      releaseEverything();
      loadedPrelude.tf.disposeVariables();
      updateMeter(loadedPrelude);
    }
    for (const cell of cells) {
      cell.output.replaceChildren();
      cell.editor.showError(null);
    }
  };

  const runtime: Runtime = {
    run: (id) => scheduler.run(id),
    runAll: () => scheduler.runAll(),
    stop: () => scheduler.stop(),
    restart,
    async switchBackend(next) {
      // Before the first run there is nothing to move: the first run starts the chosen backend.
      if (!loadedPrelude) return;
      const before = loadedPrelude.backend.name;
      await restart();
      try {
        loadedPrelude.backend = await loadedPrelude.reinitBackend(next);
      } catch (error) {
        notice(`Could not switch backend: ${(error as Error).message}`);
        return;
      }
      showBackend(loadedPrelude);
      const now = loadedPrelude.backend.name;
      notice(
        now === before
          ? `Still on ${now}; the notebook restarted: run the cells again.`
          : `Switched from ${before} to ${now}. Tensors and models do not move between backends, so the notebook restarted: run the cells again.`,
      );
    },
    focusEditor: (id) => cellById(id).editor.focus(),
  };
  const restartButton = controls('restart');
  if (restartButton) restartButton.disabled = false;
  // A documented test hook (see the "About the cells" page): the live tensor count and the prelude names.
  // Leaving the page mid-run stops the run (Stop frees what the stopped cell made), so training does not
  // go on in a page kept in the back/forward cache. Finished cells keep their results for a return visit.
  // An error thrown later by code a cell started (a timer, a callback, a promise nobody awaited) is
  // shown under that cell, found by its stack; one without a stack goes to the cell that ran last.
  const showLateError = (error: unknown) => {
    const cell = cells.find((c) => c.id === cellOfError(error)) ?? lastRun;
    if (!cell) return;
    const thrown = toError(error);
    const frame = thrown.stack ? findCellFrame(thrown.stack, cell.id) : null;
    const note = Object.assign(document.createElement('p'), {
      className: 'cell-error',
      textContent: `After the cell finished, code it started threw: ${thrown.name}: ${thrown.message}${frame ? ` (line ${frame.line - 1})` : ''}`,
    });
    cell.output.append(note);
  };
  addEventListener('error', (event) => showLateError(event.error ?? event.message));
  addEventListener('unhandledrejection', (event) => showLateError(event.reason));
  addEventListener('pagehide', () => {
    if (scheduler.isBusy) scheduler.stop();
  });
  // A documented test hook (see the "About the cells" page): the live tensor count, the prelude names,
  // which backend packages have loaded, and a way to lose the WebGPU device as a driver reset would.
  (globalThis as { __reslab?: unknown }).__reslab = {
    memory: () => loadedPrelude?.tf.memory() ?? null,
    preludeNames: () =>
      loadedPrelude
        ? [...new Set([...loadedPrelude.values.keys(), ...loadedPrelude.lazyValues.keys()]), ...perRunNames]
        : [],
    backendsLoaded: () =>
      loadedPrelude
        ? ['webgpu', 'wasm', 'webgl', 'cpu'].filter((name) => loadedPrelude!.tf.findBackendFactory(name))
        : [],
    loseDevice: () =>
      (loadedPrelude?.tf.backend() as { device?: { destroy(): void } } | undefined)?.device?.destroy(),
  };
  return runtime;
}
