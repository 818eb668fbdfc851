/** What a cell's element shows in `data-state`. */
export type CellState = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stopped' | 'stale';

/** The settled status of a cell (`queued` and `running` are overlays while a run is scheduled). */
export type CellStatus = 'idle' | 'done' | 'error' | 'stopped' | 'stale';

/** What the scheduler knows about a cell: what it reads and defines. */
export interface CellDependencies {
  /** Names the cell reads (free references). */
  inputs: readonly string[];
  /** Names the cell defines at top level (it owns them). */
  outputs: readonly string[];
  /** Names of other cells' variables it assigns (`x = …`): their readers go stale when it runs. */
  assigns?: readonly string[];
}

/** A cell as the scheduler sees it. */
export interface NotebookCell extends CellDependencies {
  id: string;
  status: CellStatus;
}

/** Returns the index of the nearest cell before `index` that defines `name`, or -1. */
function findDefiningCell(cells: readonly CellDependencies[], index: number, name: string): number {
  for (let i = index - 1; i >= 0; i--) if (cells[i].outputs.includes(name)) return i;
  return -1;
}

/**
 * The names the cells above `index` declare, each with the first cell that declares it: a name belongs
 * to the first cell of the page that declares it, and declaring it again below is an error.
 */
export function declaredAbove(cells: readonly NotebookCell[], index: number): Map<string, string> {
  const owners = new Map<string, string>();
  for (const cell of cells.slice(0, index))
    for (const name of cell.outputs) if (!owners.has(name)) owners.set(name, cell.id);
  return owners;
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
    for (const name of [...cells[i].outputs, ...(cells[i].assigns ?? [])]) changed.add(name);
  }
  return dependents;
}

/** Whether a cell has run (and so can go stale). */
const hasRun = (cell: NotebookCell) =>
  cell.status === 'done' || cell.status === 'error' || cell.status === 'stopped';

/** Every cell that reads one of `names`, with the later cells that depend on what those make. */
function readersAndDependents(cells: readonly NotebookCell[], names: readonly string[]): Set<number> {
  const found = new Set<number>();
  cells.forEach((cell, index) => {
    if (!cell.inputs.some((name) => names.includes(name))) return;
    found.add(index);
    for (const i of findDependents(cells, index, [...cell.outputs, ...(cell.assigns ?? [])])) found.add(i);
  });
  return found;
}

/**
 * Returns the cells to mark stale when the cell at `index` changed (edited or re-run): the later cells
 * that depend on what it declares; every cell, earlier ones too, that reads a variable it assigns
 * (`x = …` changes x for all its readers), with the later cells that depend on those; and, when it was
 * edited, the cell itself if it had run. `previousOutputs` are the names the cell defined before an
 * edit, since a renamed variable also invalidates its readers. Only cells that have run go stale.
 */
export function findStale(
  cells: readonly NotebookCell[],
  index: number,
  options: { edited: boolean; previousOutputs?: readonly string[] },
): number[] {
  const assigns = cells[index].assigns ?? [];
  const names = [...cells[index].outputs, ...assigns, ...(options.previousOutputs ?? [])];
  const stale = new Set([...findDependents(cells, index, names), ...readersAndDependents(cells, assigns)]);
  stale.delete(index);
  const found = [...stale].filter((i) => hasRun(cells[i])).sort((a, b) => a - b);
  return options.edited && hasRun(cells[index]) ? [index, ...found] : found;
}

/**
 * Returns the cells to mark stale when a value every cell can read changed (the page's budget): those
 * that read one of `names` and have run, and their dependents, in page order.
 */
export function findReaders(cells: readonly NotebookCell[], names: readonly string[]): number[] {
  return [...readersAndDependents(cells, names)].filter((i) => hasRun(cells[i])).sort((a, b) => a - b);
}
