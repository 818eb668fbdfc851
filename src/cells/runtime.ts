import { isBackendPreference, type BackendPreference } from '../lib/backendNames.ts';
import type { ResultsStore } from '../lib/train/resultsStore.ts';
import { NotebookController } from './controller.ts';
import { runContextOf } from './display/runContext.ts';
import { findReference } from './display/reference.ts';
import { executeCell } from './execute.ts';
import { loadPrelude } from './prelude.ts';
import { EditStore } from './storage.ts';
import { createCellView } from './views/cellView.ts';
import { createToolbarView } from './views/toolbarView.ts';

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

/**
 * Starts the notebook on this page: builds the views of the page's cells and toolbar, the notebook
 * controller over them (src/cells/controller.ts), and wires the page's events to it.
 */
export function startRuntime(root: Document = document): Runtime {
  const toolbarElement = root.querySelector<HTMLElement>('notebook-toolbar');
  const lesson = toolbarElement?.dataset.lesson ?? location.pathname;
  const toolbar = createToolbarView(toolbarElement);
  const askedBackend = new URLSearchParams(location.search).get('backend');
  if (askedBackend !== null && !isBackendPreference(askedBackend))
    toolbar.notice(
      `Unknown backend in the address: ?backend=${askedBackend} (expected one of auto, webgpu, webgl, wasm, cpu); the page chooses one itself.`,
    );

  const views = [...root.querySelectorAll<HTMLElement>('code-cell')].map((element) =>
    createCellView(element, {
      edited: (id, source) => notebook.edited(id, source),
      run(id, stay) {
        void notebook.run(id);
        if (!stay) notebook.focusNext(id);
      },
      reset: (id) => notebook.reset(id),
      keepEdit: (id) => notebook.keepEdit(id),
    }),
  );
  const outputOf = (id: string) => views.find((view) => view.id === id)!.output;
  // The page's results store (IndexedDB, else memory) opens when the first training view needs it.
  let results: ResultsStore | null = null;

  const notebook: NotebookController = new NotebookController(views, toolbar, new EditStore(lesson), {
    loadPrelude,
    budgetName: () => toolbar.budgetName(),
    backendPreference: () => toolbar.backendPreference(),
    execute: (options) =>
      executeCell({
        ...options,
        output: outputOf(options.id),
        page: {
          results: () => (results ??= options.prelude.lib.openResultsStore()),
          runContext: () =>
            runContextOf(options.prelude.tf, {
              budget: toolbar.budgetName(),
              ...(toolbarElement?.dataset.lesson ? { lesson: toolbarElement.dataset.lesson } : {}),
            }),
          findReference: (info) => findReference(root, info),
        },
      }),
  });
  // The budget is an input of every cell that reads it: changing it marks them (and what they made) stale.
  toolbar.onBudgetChange(() => notebook.budgetChanged());
  addEventListener('error', (event) => notebook.lateError(event.error ?? event.message));
  addEventListener('unhandledrejection', (event) => notebook.lateError(event.reason));
  // Leaving the page mid-run stops the run (Stop frees what the stopped cell made). Finished cells
  // keep their results for a return visit from the back/forward cache.
  addEventListener('pagehide', () => notebook.pageHidden());
  root.documentElement.classList.add('notebook-ready');

  // A documented test hook (README, "The notebook runtime"): the live tensor count, the prelude names,
  // which backend packages have loaded, and a way to lose the WebGPU device as a driver reset would.
  (globalThis as { __reslab?: unknown }).__reslab = {
    memory: () => notebook.loaded?.tf.memory() ?? null,
    preludeNames: () => notebook.preludeNames(),
    backendsLoaded: () =>
      ['webgpu', 'wasm', 'webgl', 'cpu'].filter((name) => notebook.loaded?.tf.findBackendFactory(name)),
    loseDevice: () =>
      (notebook.loaded?.tf.backend() as { device?: { destroy(): void } } | undefined)?.device?.destroy(),
  };
  return {
    run: (id) => notebook.run(id),
    runAll: () => notebook.runAll(),
    stop: () => notebook.stop(),
    restart: () => notebook.restart(),
    switchBackend: (preference) => notebook.switchBackend(preference),
    focusEditor: (id) => notebook.focus(id),
  };
}
