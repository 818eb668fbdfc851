// The notebook controller without a page: fake cell and toolbar views record what it shows, the cells
// run through the real transpile → execute path on TF.js's CPU backend, and edits persist in a memory
// store. linkedom provides the DOM the output views write into.
import * as tf from '@tensorflow/tfjs';
import { parseHTML } from 'linkedom';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { BackendChoice } from '../../../src/lib/backend.ts';
import {
  NotebookController,
  type CellView,
  type RunProgress,
  type ToolbarView,
} from '../../../src/cells/controller.ts';
import { executeCell } from '../../../src/cells/execute.ts';
import type { CellState } from '../../../src/cells/notebook.ts';
import type { SourcePosition } from '../../../src/cells/parse.ts';
import { cpuPrelude } from './cpuPrelude.ts';
import { createMemoryStorage, EditStore } from '../../../src/cells/storage.ts';
import type { BudgetName } from '../../../src/cells/budget.ts';

beforeAll(async () => {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  (globalThis as { document?: unknown }).document = document;
  await tf.setBackend('cpu');
});
afterEach(() => vi.useRealTimers());

interface FakeCell extends CellView {
  states: CellState[];
  lines: { kind: string; text: string }[];
  output: HTMLElement;
  edited: boolean;
  outdated: boolean;
  errorAt: SourcePosition | null;
  text: string;
}

function fakeCell(id: string, original: string): FakeCell {
  const output = document.createElement('div');
  const cell: FakeCell = {
    id,
    original,
    title: `Title of ${id}`,
    output,
    states: [],
    lines: [],
    edited: false,
    outdated: false,
    errorAt: null,
    text: original,
    source: () => cell.text,
    setSource: (source) => void (cell.text = source),
    showState: (state) => void cell.states.push(state),
    showEdited: (edited) => void (cell.edited = edited),
    showOutdated: (shown) => void (cell.outdated = shown),
    clear() {
      output.replaceChildren();
      cell.lines = [];
      cell.errorAt = null;
    },
    say: (kind, text) => void cell.lines.push({ kind, text }),
    showErrorPosition: (position) => void (cell.errorAt = position),
    focus: () => undefined,
  };
  return cell;
}

const backend = (name: 'cpu' | 'wasm'): BackendChoice =>
  ({ name, preference: 'auto', reason: null }) as BackendChoice;

function fakePrelude() {
  const prelude = cpuPrelude({
    backend: backend('cpu'),
    lost: null as string | null,
    deviceLoss: () => prelude.lost,
    reinitBackend: vi.fn(async () => backend('cpu')),
  });
  return prelude;
}

/** A page: cells by id and source, a toolbar that records, and a controller over them. */
function page(cells: Record<string, string>, options: { store?: EditStore; budget?: BudgetName } = {}) {
  const views = Object.entries(cells).map(([id, source]) => fakeCell(id, source));
  const notices: (string | null)[] = [];
  const busy: boolean[] = [];
  const badges: string[] = [];
  const progress: (RunProgress | null)[] = [];
  const toolbar: ToolbarView = {
    progress: (p) => void progress.push(p),
    notice: (text) => void notices.push(text),
    busy: (b) => void busy.push(b),
    backend: (description) => void badges.push(description),
    memory: () => undefined,
  };
  const prelude = fakePrelude();
  let onLoss: ((message: string) => void) | null = null;
  const loadPrelude = vi.fn(async (lost: (message: string) => void) => {
    onLoss = lost;
    return prelude;
  });
  let budget: BudgetName = options.budget ?? 'quick';
  const store =
    options.store ?? new EditStore('lesson', { storage: createMemoryStorage(), persistent: true });
  const notebook = new NotebookController(views, toolbar, store, {
    loadPrelude,
    backendPreference: () => 'auto',
    budgetName: () => budget,
    execute: (request) => executeCell({ ...request, output: views.find((v) => v.id === request.id)!.output }),
  });
  const cell = (id: string) => views.find((v) => v.id === id)!;
  return {
    notebook,
    cell,
    notices,
    busy,
    badges,
    progress,
    prelude,
    loadPrelude,
    store,
    setBudget: (name: BudgetName) => void (budget = name),
    loseDevice: (message: string) => onLoss?.(message),
    text: (id: string) => cell(id).output.textContent,
  };
}

describe('NotebookController', () => {
  test('Run runs the cells a cell needs first, in page order, and shows each state', async () => {
    const p = page({ a: 'const x = 2', b: 'const y = x * 3', c: 'y + 1' });
    await p.notebook.run('c');
    expect(p.text('c')).toBe('7');
    expect(p.cell('a').states.at(-1)).toBe('done');
    expect(p.cell('c').states).toEqual(expect.arrayContaining(['queued', 'running', 'done']));
    expect(p.loadPrelude).toHaveBeenCalledTimes(1);
    expect(p.badges.at(-1)).toBe('Backend: cpu');
    expect(p.busy.at(-1)).toBe(false);
  });

  test('a run of several cells tells the toolbar which cell runs, of how many, and ends with none', async () => {
    const p = page({ a: 'const x = 2', b: 'const y = x * 3', c: 'y + 1' });
    await p.notebook.runAll();
    const running = p.progress
      .filter((r) => r?.running)
      .map((r) => `${r!.done + 1}/${r!.total} ${r!.running!.title}`);
    expect(running).toEqual(['1/3 Title of a', '2/3 Title of b', '3/3 Title of c']);
    expect(p.progress.at(-1)).toBeNull();
    await p.notebook.run('a'); // one cell: a run of one
    expect(p.progress.filter((r) => r?.running).at(-1)).toEqual({
      running: { id: 'a', title: 'Title of a' },
      done: 0,
      total: 1,
    });
  });

  test('the first run says TF.js is loading; a failed load is told under the cell and tried again next run', async () => {
    const p = page({ a: '1 + 1' });
    p.loadPrelude.mockRejectedValueOnce(new Error('network down'));
    await p.notebook.run('a');
    expect(p.cell('a').lines).toEqual([
      { kind: 'error', text: 'Could not load TensorFlow.js: network down' },
    ]);
    expect(p.cell('a').states.at(-1)).toBe('error');
    await p.notebook.run('a');
    expect(p.text('a')).toBe('2');
    expect(p.loadPrelude).toHaveBeenCalledTimes(2);
  });

  test('an edit is saved, marks the cell edited, and makes it and its readers stale', async () => {
    const p = page({ a: 'let n = 1', b: 'n * 10' });
    await p.notebook.runAll();
    p.notebook.edited('a', 'let n = 5');
    expect(p.cell('a').edited).toBe(true);
    expect(p.cell('b').states.at(-1)).toBe('stale');
    expect(p.store.load('a', 'let n = 1')?.source).toBe('let n = 5');
    p.cell('a').text = 'let n = 5';
    await p.notebook.run('b');
    expect(p.text('b')).toBe('50');
  });

  test('a saved edit comes back on the next visit; one made on an older lesson is flagged, and Keep clears it', () => {
    const store = new EditStore('lesson', { storage: createMemoryStorage(), persistent: true });
    store.save('a', 'old lesson code', 'my edit');
    store.save('b', 'const b = 1', 'const b = 2');
    const p = page({ a: 'new lesson code', b: 'const b = 1' }, { store });
    expect(p.cell('a').text).toBe('my edit');
    expect(p.cell('a').outdated).toBe(true);
    expect(p.cell('b').text).toBe('const b = 2');
    expect(p.cell('b').outdated).toBe(false);
    p.notebook.keepEdit('a');
    expect(p.cell('a').outdated).toBe(false);
    expect(store.load('a', 'new lesson code')).toEqual({ source: 'my edit', isOutdated: false });
  });

  test('Reset brings back the lesson’s code, forgets the edit and makes the cell stale', async () => {
    const p = page({ a: 'const k = 1' });
    p.notebook.edited('a', 'const k = 2');
    p.cell('a').text = 'const k = 2';
    await p.notebook.run('a');
    p.notebook.reset('a');
    expect(p.cell('a').text).toBe('const k = 1');
    expect(p.cell('a').edited).toBe(false);
    expect(p.store.load('a', 'const k = 1')).toBeNull();
    expect(p.cell('a').states.at(-1)).toBe('stale');
  });

  test('storage that fails is told on the toolbar, and edits go on in memory', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
      key: () => null,
      length: 0,
    };
    const p = page({ a: '1' }, { store: new EditStore('lesson', { storage: broken, persistent: true }) });
    p.notebook.edited('a', '2');
    expect(p.notices.at(-1)).toMatch(/cannot be saved in this browser/);
    expect(p.store.load('a', '1')?.source).toBe('2');
  });

  test('changing the budget makes the cells that read it stale, and the next run sees the new one', async () => {
    const p = page({ a: 'const epochs = budget.epochs', b: 'const other = 3', c: 'epochs' });
    await p.notebook.runAll();
    expect(p.text('c')).toBe('1');
    p.setBudget('reference');
    p.notebook.budgetChanged();
    expect(p.cell('a').states.at(-1)).toBe('stale');
    expect(p.cell('c').states.at(-1)).toBe('stale');
    expect(p.cell('b').states.at(-1)).toBe('done');
    await p.notebook.run('c');
    expect(p.text('c')).toBe('4');
  });

  test('Stop during a run reads Stopped, keeps what the cell showed, and tells a queued cell it was not run', async () => {
    const p = page({
      a: 'console.log("started"); while (true) await new Promise((r) => setTimeout(r, 5))',
      b: 'const after = 1',
    });
    const running = p.notebook.runAll();
    await vi.waitFor(() => expect(p.cell('a').states.at(-1)).toBe('running'));
    await vi.waitFor(() => expect(p.text('a')).toContain('started'));
    p.notebook.stop();
    await running;
    expect(p.cell('a').states.at(-1)).toBe('stopped');
    expect(p.text('a')).toContain('started');
    expect(p.text('a')).toContain('Stopped by the reader');
    expect(p.cell('b').lines.at(-1)?.text).toMatch(/^Not run: it was queued when you pressed Stop/);
    expect(p.busy.at(-1)).toBe(false);
  });

  test('a cell whose input failed is skipped with the failed cell named', async () => {
    const p = page({ a: 'const broken = undefinedThing', b: 'broken + 1' });
    await p.notebook.run('b');
    expect(p.cell('a').states.at(-1)).toBe('error');
    expect(p.cell('a').errorAt).toEqual({ line: 1, column: 15 });
    expect(p.cell('b').lines).toEqual([
      { kind: 'error', text: 'Not run: cell “a”, which this cell needs, failed.' },
    ]);
  });

  test('Restart frees every tensor the cells made and empties every output', async () => {
    const p = page({ a: 'const t = tf.ones([64, 64])', b: 't.shape' });
    const before = tf.memory().numTensors;
    await p.notebook.runAll();
    expect(tf.memory().numTensors).toBe(before + 1);
    await p.notebook.restart();
    expect(tf.memory().numTensors).toBe(before);
    expect(p.text('b')).toBe('');
    expect(p.cell('a').states.at(-1)).toBe('idle');
  });

  test('an error thrown later by a timer a cell started is told under that cell, with its line', async () => {
    const p = page({ a: 'const n = 1', b: 'setTimeout(() => {\n  throw new RangeError("late")\n}, 0)' });
    await p.notebook.runAll();
    const thrown = await new Promise<unknown>((resolve) => {
      const handler = (error: unknown) => resolve(error);
      process.once('uncaughtException', handler);
    });
    p.notebook.lateError(thrown);
    expect(p.cell('b').lines.at(-1)?.text).toBe(
      'After the cell finished, code it started threw: RangeError: late (line 2)',
    );
    expect(p.cell('a').lines).toEqual([]);
  });

  test('a thrown value with no stack goes to the cell that ran last', async () => {
    const p = page({ a: '1', b: '2' });
    await p.notebook.runAll();
    p.notebook.lateError({ code: 42 });
    expect(p.cell('b').lines.at(-1)?.text).toBe(
      'After the cell finished, code it started threw: Error: Uncaught {"code":42} (thrown, not an Error)',
    );
  });

  test('a lost GPU device is told on the toolbar and under the running cell; the next run starts a fresh device', async () => {
    const p = page({
      a: 'const m = tf.ones([2])',
      b: 'await new Promise((r) => setTimeout(r, 50)); throw new Error("mapAsync failed")',
    });
    const running = p.notebook.runAll();
    await vi.waitFor(() => expect(p.cell('b').states.at(-1)).toBe('running'));
    p.prelude.lost = 'the driver reset';
    p.loseDevice('the driver reset');
    await running;
    expect(p.notices.at(-1)).toMatch(/^The GPU device was lost \(the driver reset\)/);
    expect(p.cell('b').lines.at(-1)?.text).toMatch(/GPU device was lost while this cell ran/);
    p.prelude.lost = null;
    await p.notebook.run('a');
    expect(p.prelude.reinitBackend).not.toHaveBeenCalled();
  });

  test('switching backend restarts the notebook and says what changed', async () => {
    const p = page({ a: 'const v = 1' });
    await p.notebook.switchBackend('wasm');
    expect(p.notices).toEqual([]); // nothing ran yet: the first run starts the chosen backend
    await p.notebook.run('a');
    vi.mocked(p.prelude.reinitBackend).mockResolvedValueOnce(backend('wasm'));
    await p.notebook.switchBackend('wasm');
    expect(p.notices.at(-1)).toMatch(/^Switched from cpu to wasm\. .* the notebook restarted/);
    expect(p.cell('a').states.at(-1)).toBe('idle');
    expect(p.badges.at(-1)).toBe('Backend: wasm');
  });

  test('the memory meter ticks only while something runs (its timer is cleared when the page is idle)', async () => {
    const p = page({ a: 'await new Promise((r) => setTimeout(r, 30)); 1' });
    const started = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    await p.notebook.run('a');
    const meters = started.mock.calls.flatMap(([, ms], i) =>
      ms === 1000 ? [started.mock.results[i].value] : [],
    );
    expect(meters).toHaveLength(1);
    expect(cleared.mock.calls.map(([id]) => id)).toContain(meters[0]);
    started.mockRestore();
    cleared.mockRestore();
  });

  test('leaving the page mid-run stops the run', async () => {
    const p = page({ a: 'while (true) await new Promise((r) => setTimeout(r, 5))' });
    const running = p.notebook.run('a');
    await vi.waitFor(() => expect(p.cell('a').states.at(-1)).toBe('running'));
    p.notebook.pageHidden();
    await running;
    expect(p.cell('a').states.at(-1)).toBe('stopped');
  });
});
