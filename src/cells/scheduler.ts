import {
  findReaders,
  findStale,
  planRun,
  type CellDependencies,
  type CellState,
  type NotebookCell,
} from './notebook.ts';

/** Effects the scheduler calls; the browser runtime passes real ones, tests pass fakes. */
export interface SchedulerEffects {
  /** Finds what a cell reads and defines; a cell that does not parse reads and defines nothing. */
  analyse(id: string, source: string): CellDependencies;
  /** Runs one cell; resolves true when it succeeded. `signal` aborts when the reader presses Stop. */
  execute(id: string, signal: AbortSignal): Promise<boolean>;
  /** Tells that `id` was not run because `failedId`, which it depends on, failed. */
  skip(id: string, failedId: string): void;
  /** Tells that `id`, queued, was not run because the reader pressed Stop. */
  cancel?(id: string): void;
  /** Tells that a cell's state changed. */
  change(id: string, state: CellState): void;
}

interface Pending {
  target: number;
  /** Cells shown as queued for this request (its plan when it was made). */
  planned: Set<number>;
  /** Requests that share a group are dropped together when one of them fails (Run all). */
  group: number;
  done: () => void;
}

/**
 * Runs a page's cells one at a time, in dependency order (one notebook per page): a cell's run first
 * runs the earlier cells it needs, edits and re-runs mark dependents stale, Stop aborts and empties
 * the queue.
 */
export class Scheduler {
  readonly cells: NotebookCell[];
  private readonly effects: SchedulerEffects;
  private readonly shown: CellState[];
  private queue: Pending[] = [];
  private current: { plan: number[]; position: number } | null = null;
  private controller: AbortController | null = null;
  private groups = 0;
  private pumping: Promise<void> | null = null;

  constructor(cells: readonly { id: string; source: string }[], effects: SchedulerEffects) {
    this.effects = effects;
    this.cells = cells.map(({ id, source }) => ({ id, status: 'idle', ...effects.analyse(id, source) }));
    this.shown = this.cells.map(() => 'idle');
  }

  /** Returns what the cell at `index` shows now. */
  state(index: number): CellState {
    if (this.current && this.current.plan[this.current.position] === index) return 'running';
    if (this.current?.plan.slice(this.current.position + 1).includes(index)) return 'queued';
    // A cell that has run since it was planned (Run all plans every cell at once) stays as it is.
    if (this.cells[index].status !== 'done' && this.queue.some((pending) => pending.planned.has(index)))
      return 'queued';
    return this.cells[index].status;
  }

  /** Whether a cell is running or queued. */
  get isBusy(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** Records a new source for a cell and marks it and its dependents stale. */
  edit(id: string, source: string): void {
    const index = this.indexOf(id);
    const cell = this.cells[index];
    const previousOutputs = cell.outputs;
    Object.assign(cell, this.effects.analyse(id, source));
    for (const i of findStale(this.cells, index, { edited: true, previousOutputs }))
      this.cells[i].status = 'stale';
    this.sync();
  }

  /** Marks stale every cell that has run and reads one of `names` (a page-level input such as `budget`), and its dependents. */
  invalidate(names: readonly string[]): void {
    for (const i of findReaders(this.cells, names)) this.cells[i].status = 'stale';
    this.sync();
  }

  /** Runs a cell after the earlier cells it depends on; resolves when it has run or was skipped. */
  run(id: string): Promise<void> {
    return this.enqueue([this.indexOf(id)]);
  }

  /** Runs every cell in page order, stopping at the first failure. */
  runAll(): Promise<void> {
    return this.enqueue(this.cells.map((_, i) => i));
  }

  /** Aborts the running cell and forgets the queued ones. */
  stop(): void {
    this.controller?.abort(new DOMException('Stopped by the reader.', 'AbortError'));
    if (this.current) this.current.plan.length = this.current.position + 1;
    const running = this.current?.plan[this.current.position];
    for (const target of new Set(this.queue.map((pending) => pending.target)))
      if (target !== running && this.cells[target].status !== 'done')
        this.effects.cancel?.(this.cells[target].id);
    this.dropQueued(() => true);
    this.sync();
  }

  /** Stops, waits for the running cell to end, and sets every cell back to idle. */
  async restart(): Promise<void> {
    this.stop();
    await this.pumping;
    for (const cell of this.cells) cell.status = 'idle';
    this.sync();
  }

  private indexOf(id: string): number {
    const index = this.cells.findIndex((cell) => cell.id === id);
    if (index < 0) throw new Error(`invalid cell id: ${JSON.stringify(id)} (not on this page)`);
    return index;
  }

  private enqueue(targets: number[]): Promise<void> {
    const group = ++this.groups;
    const promises = targets.map(
      (target) =>
        new Promise<void>((done) => {
          this.queue.push({ target, planned: new Set(planRun(this.cells, target)), group, done });
        }),
    );
    this.sync();
    this.startPump();
    return Promise.all(promises).then(() => undefined);
  }

  private startPump(): void {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = null;
      // A request made while the loop was finishing would otherwise wait for the next one.
      if (this.queue.length > 0) this.startPump();
    });
  }

  private dropQueued(test: (pending: Pending) => boolean): void {
    const dropped = this.queue.filter(test);
    this.queue = this.queue.filter((pending) => !test(pending));
    for (const pending of dropped) pending.done();
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const pending = this.queue.shift()!;
      // Plan again now: cells run by earlier requests need not run twice.
      this.current = { plan: planRun(this.cells, pending.target), position: 0 };
      this.controller = new AbortController();
      for (; this.current.position < this.current.plan.length; this.current.position++) {
        const index = this.current.plan[this.current.position];
        this.sync();
        const ok = await this.effects.execute(this.cells[index].id, this.controller.signal);
        this.cells[index].status = ok ? 'done' : this.controller.signal.aborted ? 'stopped' : 'error';
        if (ok) {
          for (const i of findStale(this.cells, index, { edited: false })) this.cells[i].status = 'stale';
          continue;
        }
        if (index !== pending.target && !this.controller.signal.aborted) {
          this.cells[pending.target].status = 'error';
          this.effects.skip(this.cells[pending.target].id, this.cells[index].id);
        }
        this.dropQueued((other) => other.group === pending.group);
        break;
      }
      this.current = null;
      this.controller = null;
      this.sync();
      pending.done();
    }
  }

  private sync(): void {
    this.cells.forEach((cell, index) => {
      const state = this.state(index);
      if (state === this.shown[index]) return;
      this.shown[index] = state;
      this.effects.change(cell.id, state);
    });
  }
}
