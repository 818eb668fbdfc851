/** What a cell's element shows in `data-state`. */
export type CellState = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stale';

/** The settled status of a cell (`queued` and `running` are overlays while a run is scheduled). */
export type CellStatus = 'idle' | 'done' | 'error' | 'stale';

/** What the scheduler knows about a cell: what it reads and defines. */
export interface CellDependencies {
  /** Names the cell reads (free references). */
  inputs: readonly string[];
  /** Names the cell defines at top level. */
  outputs: readonly string[];
}

/** A cell as the scheduler sees it. */
export interface NotebookCell extends CellDependencies {
  id: string;
  status: CellStatus;
}

/** Returns the index of the nearest cell before `index` that defines `name`, or -1. */
export function findDefiningCell(cells: readonly CellDependencies[], index: number, name: string): number {
  for (let i = index - 1; i >= 0; i--) if (cells[i].outputs.includes(name)) return i;
  return -1;
}

/**
 * Plans a run of the cell at `target`: the earlier cells that define its inputs (transitively) and
 * have not run or are stale or failed, then the target, in page order.
 */
export function planRun(cells: readonly NotebookCell[], target: number): number[] {
  const plan = new Set<number>([target]);
  const visit = (index: number) => {
    for (const name of cells[index].inputs) {
      const source = findDefiningCell(cells, index, name);
      if (source < 0 || plan.has(source) || cells[source].status === 'done') continue;
      plan.add(source);
      visit(source);
    }
  };
  visit(target);
  return [...plan].sort((a, b) => a - b);
}

/**
 * Finds the cells after `index` that depend, directly or through other cells, on any of `names`
 * (the changed cell's outputs), in page order.
 */
export function findDependents(
  cells: readonly CellDependencies[],
  index: number,
  names: Iterable<string>,
): number[] {
  const changed = new Set(names);
  const dependents: number[] = [];
  for (let i = index + 1; i < cells.length; i++) {
    if (!cells[i].inputs.some((name) => changed.has(name))) continue;
    dependents.push(i);
    for (const name of cells[i].outputs) changed.add(name);
  }
  return dependents;
}

/**
 * Returns the cells to mark stale when the cell at `index` changed (edited or re-run): its dependents
 * that have run, and, when it was edited, the cell itself if it had run. `previousOutputs` are the
 * names the cell defined before an edit, since a renamed variable also invalidates its readers.
 */
export function findStale(
  cells: readonly NotebookCell[],
  index: number,
  options: { edited: boolean; previousOutputs?: readonly string[] },
): number[] {
  const names = [...cells[index].outputs, ...(options.previousOutputs ?? [])];
  const hasRun = (i: number) => cells[i].status === 'done' || cells[i].status === 'error';
  const stale = findDependents(cells, index, names).filter(hasRun);
  return options.edited && hasRun(index) ? [index, ...stale] : stale;
}
