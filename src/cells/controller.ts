import { describeBackend, type BackendPreference } from '../lib/backendNames.ts';
import { resolveBudget, type Budget, type BudgetName } from './budget.ts';
import type { Declaration } from './display/error.ts';
import type { ExecuteOptions, ExecuteResult } from './execute.ts';
import { cellOfError, findCellFrame, toError } from './execute.ts';
import { releaseAllocation, type Allocation } from './hygiene.ts';
import { declaredAbove, type CellState } from './notebook.ts';
import type { SourcePosition } from './parse.ts';
import { perRunNames, type Prelude } from './prelude.ts';
import { Scheduler } from './scheduler.ts';
import { NotebookScope } from './scope.ts';
import type { EditStore } from './storage.ts';
import { analyseCell } from './transpile.ts';

// The notebook of one lesson page, without the page: its cells, their shared scope, the scheduler,
// run/stop/restart, the backend, and the reader's saved edits. It sees the page only through the small
// views it is given (CellView, ToolbarView) and the effects (load TF.js, run a cell), so it runs and is
// tested in Node. src/cells/runtime.ts builds the real views from the page and starts it.

/** What the notebook asks of one cell's view. */
export interface CellView {
  readonly id: string;
  /** The lesson's code for the cell (what Reset brings back). */
  readonly original: string;
  /** The cell's title, as the page shows it. */
  readonly title: string;
  /** The code in the editor now. */
  source(): string;
  setSource(source: string): void;
  showState(state: CellState): void;
  /** Marks the cell edited (shows Reset) or not. */
  showEdited(edited: boolean): void;
  /** Says the lesson's code changed since the reader's edit; hidden with null. */
  showOutdated(shown: boolean): void;
  /** Empties the output and the editor's error mark. */
  clear(): void;
  /** Adds a short line under the cell. */
  say(kind: 'loading' | 'error' | 'notice', text: string): void;
  /** Marks the failing position in the editor (null: none). */
  showErrorPosition(position: SourcePosition | null): void;
  focus(): void;
}

/** What the notebook asks of the page's toolbar. */
export interface ToolbarView {
  /** Shows a page-wide notice (null hides it). */
  notice(text: string | null): void;
  /** Something runs (Stop enabled) or nothing does. */
  busy(busy: boolean): void;
  /** The backend the notebook runs on, in words, and its name. */
  backend(description: string, name: string): void;
  memory(memory: { numTensors: number; numBytes: number }): void;
  /** What runs now and how far the run is (null when nothing runs). */
  progress(progress: RunProgress | null): void;
}

/** How far a run of several cells (Run all, or a cell with the cells it needs) is. */
export interface RunProgress {
  /** The running cell (null between two cells). */
  running: { id: string; title: string } | null;
  /** Cells of this run that have ended, and all the cells of this run. */
  done: number;
  total: number;
}

/** What the notebook needs from the world: TF.js, a way to run a cell, and the page's settings. */
export interface NotebookEffects {
  /** Loads TF.js, the library and the backend; `onDeviceLoss` is told when the WebGPU device is lost. */
  loadPrelude(onDeviceLoss: (message: string) => void, preference: BackendPreference): Promise<Prelude>;
  /** Runs a cell (src/cells/execute.ts's executeCell, with the cell's output element). */
  execute(options: Omit<ExecuteOptions, 'output'>): Promise<ExecuteResult>;
  /** The budget chosen on the page now. */
  budgetName(): BudgetName;
  /** The backend chosen on the page now. */
  backendPreference(): BackendPreference;
}

const STORAGE_LOST =
  'Your edits cannot be saved in this browser (storage is unavailable or full); they last until you leave the page.';

/** One lesson page's notebook. */
export class NotebookController {
  readonly scheduler: Scheduler;
  private readonly cells: CellView[];
  private readonly allocations = new Map<string, Allocation>();
  private readonly scope = new NotebookScope();
  private readonly toolbar: ToolbarView;
  private readonly store: EditStore;
  private readonly effects: NotebookEffects;
  private loading: Promise<Prelude> | null = null;
  private prelude: Prelude | null = null;
  /** The cell that ran last: where a GPU loss or an error without a stack is told. */
  private lastRun: CellView | null = null;
  private meter: ReturnType<typeof setInterval> | null = null;
  /** The cells of the run in progress (every cell queued or run since the page was last idle). */
  private readonly inRun = new Set<string>();

  constructor(cells: CellView[], toolbar: ToolbarView, store: EditStore, effects: NotebookEffects) {
    this.cells = cells;
    this.toolbar = toolbar;
    this.store = store;
    this.effects = effects;
    if (!store.persistent) toolbar.notice(STORAGE_LOST);
    for (const cell of cells) {
      const saved = store.load(cell.id, cell.original);
      if (saved) cell.setSource(saved.source);
      cell.showOutdated(saved?.isOutdated ?? false);
      cell.showEdited(cell.source() !== cell.original);
    }
    this.scheduler = new Scheduler(
      cells.map((cell) => ({ id: cell.id, source: cell.source() })),
      {
        analyse: (_id, source) => analyseCell(source),
        execute: (id, signal) => this.execute(this.cell(id), signal),
        cancel: (id) =>
          this.cell(id).say(
            'notice',
            'Not run: it was queued when you pressed Stop. Run it again when you want it.',
          ),
        skip: (id, failedId) => {
          const cell = this.cell(id);
          cell.clear();
          cell.say('error', `Not run: cell “${failedId}”, which this cell needs, failed.`);
        },
        change: (id, state) => {
          this.cell(id).showState(state);
          this.showBusy(this.scheduler?.isBusy ?? state === 'running');
          if (this.scheduler) this.showProgress(id, state);
        },
      },
    );
  }

  run(id: string): Promise<void> {
    return this.scheduler.run(id);
  }

  runAll(): Promise<void> {
    return this.scheduler.runAll();
  }

  stop(): void {
    this.scheduler.stop();
  }

  /** Stops, frees every tensor and variable the cells made, and empties every output. */
  async restart(): Promise<void> {
    await this.scheduler.restart();
    if (this.prelude) {
      this.releaseEverything();
      this.prelude.tf.disposeVariables();
      this.toolbar.memory(this.prelude.tf.memory());
    }
    for (const cell of this.cells) cell.clear();
  }

  /** The reader typed in a cell: the edit is saved, and the cell and what depends on it go stale. */
  edited(id: string, source: string): void {
    const cell = this.cell(id);
    this.store.save(id, cell.original, source);
    if (!this.store.persistent) this.toolbar.notice(STORAGE_LOST);
    this.scheduler.edit(id, source);
    cell.showEdited(source !== cell.original);
  }

  /** Brings back the lesson's code of a cell and forgets the reader's edit. */
  reset(id: string): void {
    const cell = this.cell(id);
    this.store.reset(id);
    cell.setSource(cell.original);
    cell.showOutdated(false);
    this.edited(id, cell.original);
  }

  /** Keeps an outdated edit: the reader is not asked again about this version of the lesson. */
  keepEdit(id: string): void {
    const cell = this.cell(id);
    this.store.keep(id, cell.original);
    cell.showOutdated(false);
  }

  /** The page's budget changed: every cell that read it (and what those made) goes stale. */
  budgetChanged(): void {
    this.scheduler.invalidate(['budget']);
  }

  /** Starts another backend; the notebook restarts, since tensors do not move between backends. */
  async switchBackend(next: BackendPreference): Promise<void> {
    // Before the first run there is nothing to move: the first run starts the chosen backend.
    const prelude = this.prelude;
    if (!prelude) return;
    const before = prelude.backend.name;
    await this.restart();
    try {
      prelude.backend = await prelude.reinitBackend(next);
    } catch (error) {
      this.toolbar.notice(`Could not switch backend: ${(error as Error).message}`);
      return;
    }
    this.showBackend(prelude);
    const now = prelude.backend.name;
    this.toolbar.notice(
      now === before
        ? `Still on ${now}; the notebook restarted: run the cells again.`
        : `Switched from ${before} to ${now}. Tensors and models do not move between backends, so the notebook restarted: run the cells again.`,
    );
  }

  /**
   * An error thrown after a cell finished by code it started (a timer, a callback, a promise nobody
   * awaited): told under that cell, found by its stack; one without a stack goes to the cell that ran last.
   */
  lateError(thrown: unknown): void {
    const cell = this.cells.find((c) => c.id === cellOfError(thrown)) ?? this.lastRun;
    if (!cell) return;
    const error = toError(thrown);
    const frame = error.stack ? findCellFrame(error.stack, cell.id) : null;
    cell.say(
      'error',
      `After the cell finished, code it started threw: ${error.name}: ${error.message}${frame ? ` (line ${frame.line - 1})` : ''}`,
    );
  }

  /** Leaving the page mid-run stops the run, so training does not go on in the back/forward cache. */
  pageHidden(): void {
    if (this.scheduler.isBusy) this.scheduler.stop();
  }

  focus(id: string): void {
    this.cell(id).focus();
  }

  /** Moves to the next cell's editor (Shift+Enter runs a cell and moves on). */
  focusNext(id: string): void {
    this.cells[this.cells.findIndex((cell) => cell.id === id) + 1]?.focus();
  }

  /** For the documented test hook: the loaded prelude (null before the first run). */
  get loaded(): Prelude | null {
    return this.prelude;
  }

  /** For the documented test hook: every name a cell can use without declaring it. */
  preludeNames(): string[] {
    const p = this.prelude;
    return p ? [...new Set([...p.values.keys(), ...p.lazyValues.keys()]), ...perRunNames] : [];
  }

  private cell(id: string): CellView {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) throw new Error(`no cell “${id}” on this page`);
    return cell;
  }

  private async execute(cell: CellView, signal: AbortSignal): Promise<boolean> {
    this.lastRun = cell;
    cell.clear();
    let prelude: Prelude;
    try {
      if (!this.prelude) cell.say('loading', 'Loading TensorFlow.js…');
      prelude = await this.ensurePrelude();
    } catch (error) {
      cell.clear();
      cell.say('error', `Could not load TensorFlow.js: ${(error as Error).message}`);
      return false;
    }
    cell.clear();
    // Re-running a cell frees what its previous run made (tensors, model weights).
    this.release(cell.id);
    const budget: Budget = resolveBudget(this.effects.budgetName());
    const index = this.scheduler.cells.findIndex((c) => c.id === cell.id);
    const result = await this.effects.execute({
      id: cell.id,
      source: cell.source(),
      prelude,
      scope: this.scope,
      signal,
      budget,
      findDeclaration: (name) => this.findDeclaration(name, index),
      declaredElsewhere: declaredAbove(this.scheduler.cells, index),
    });
    if (result.ok) this.allocations.set(cell.id, result.allocation);
    else releaseAllocation(result.allocation);
    cell.showErrorPosition(result.errorPosition);
    this.toolbar.memory(prelude.tf.memory());
    return result.ok;
  }

  /** Which cell declares a name, for "x is not defined" errors: the nearest one above, else one below. */
  private findDeclaration(name: string, reader: number): Declaration | null {
    const cells = this.scheduler.cells;
    for (let i = reader - 1; i >= 0; i--)
      if (cells[i].outputs.includes(name)) return { cellId: cells[i].id, isLater: false };
    for (let i = reader + 1; i < cells.length; i++)
      if (cells[i].outputs.includes(name)) return { cellId: cells[i].id, isLater: true };
    return null;
  }

  private async ensurePrelude(): Promise<Prelude> {
    this.loading ??= this.effects.loadPrelude(
      (message) => this.deviceLost(message),
      this.effects.backendPreference(),
    );
    let prelude: Prelude;
    try {
      prelude = await this.loading;
    } catch (error) {
      this.loading = null; // the next run tries again (a network hiccup, say)
      throw error;
    }
    this.prelude = prelude;
    if (prelude.deviceLoss() !== null) {
      this.releaseEverything();
      prelude.backend = await prelude.reinitBackend();
      this.toolbar.notice(null);
    }
    this.showBackend(prelude);
    return prelude;
  }

  private deviceLost(message: string): void {
    this.toolbar.notice(
      `The GPU device was lost (${message}). Everything computed is gone; the next run starts a fresh device.`,
    );
    // The op that failed says only "mapAsync failed" or the like (and may fail before or after this
    // callback), so the cell that was running, or has just failed, is told the reason.
    const last = this.lastRun;
    if (!last) return;
    const state = this.scheduler.state(this.scheduler.cells.findIndex((c) => c.id === last.id));
    const status = this.scheduler.cells.find((c) => c.id === last.id)?.status;
    if (state === 'running' || status === 'error' || status === 'stopped')
      last.say(
        'error',
        'The GPU device was lost while this cell ran; run it again to start on a fresh device.',
      );
  }

  private showBackend(prelude: Prelude): void {
    this.toolbar.backend(`Backend: ${describeBackend(prelude.backend)}`, prelude.backend.name);
  }

  /** Stop is enabled while something runs; the memory meter ticks meanwhile (and only then). */
  private showBusy(busy: boolean): void {
    this.toolbar.busy(busy);
    if (busy && this.meter === null)
      this.meter = setInterval(() => this.prelude && this.toolbar.memory(this.prelude.tf.memory()), 1000);
    else if (!busy && this.meter !== null) {
      clearInterval(this.meter);
      this.meter = null;
    }
  }

  /** Tells the toolbar which cell runs and how many of the run's cells have ended. */
  private showProgress(id: string, state: CellState): void {
    if (state === 'queued' || state === 'running') this.inRun.add(id);
    const states = this.scheduler.cells.map((_, i) => this.scheduler.state(i));
    const runningIndex = states.indexOf('running');
    const active = states.some((s) => s === 'queued' || s === 'running');
    if (!active) {
      this.inRun.clear();
      this.toolbar.progress(null);
      return;
    }
    const pending = this.scheduler.cells.filter(
      (cell, i) => this.inRun.has(cell.id) && (states[i] === 'queued' || states[i] === 'running'),
    ).length;
    const running =
      runningIndex < 0 ? null : this.cells.find((c) => c.id === this.scheduler.cells[runningIndex].id)!;
    this.toolbar.progress({
      running: running && { id: running.id, title: running.title },
      done: this.inRun.size - pending,
      total: this.inRun.size,
    });
  }

  private release(id: string): void {
    const allocation = this.allocations.get(id);
    if (allocation) releaseAllocation(allocation);
    this.allocations.delete(id);
  }

  private releaseEverything(): void {
    for (const id of [...this.allocations.keys()]) this.release(id);
    this.scope.clear();
  }
}
