// Notebook semantics, case by case, through the real path: transpile → execute → scope, with the
// page's scheduler deciding what runs and what goes stale. Each case states its expected result first.
// The DOM the output views need is linkedom's (no browser); the backend is TF.js's CPU.
import * as tf from '@tensorflow/tfjs';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUDGETS } from '../../../src/lib/budget.ts';
import { executeCell } from '../../../src/cells/execute.ts';
import { cpuPrelude } from './cpuPrelude.ts';
import { Scheduler } from '../../../src/cells/scheduler.ts';
import { NotebookScope } from '../../../src/cells/scope.ts';
import { analyseCell } from '../../../src/cells/transpile.ts';
import { declaredAbove, type CellState } from '../../../src/cells/notebook.ts';

beforeAll(async () => {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  (globalThis as { document?: unknown }).document = document;
  await tf.setBackend('cpu');
});

const prelude = cpuPrelude();

/** A page of cells run as the lesson runtime runs them (its scheduler, scope and execute). */
function notebook(cells: Record<string, string>, { loopLimitMs }: { loopLimitMs?: number } = {}) {
  const sources = new Map(Object.entries(cells));
  const scope = new NotebookScope();
  const outputs = new Map<string, HTMLElement>();
  const states = new Map<string, CellState>();
  const analyse = (_id: string, source: string) => analyseCell(source);

  const scheduler: Scheduler = new Scheduler(
    [...sources].map(([id, source]) => ({ id, source })),
    {
      analyse,
      async execute(id, signal) {
        const output = document.createElement('div');
        outputs.set(id, output);
        const declaredElsewhere = declaredAbove(
          scheduler.cells,
          scheduler.cells.findIndex((c) => c.id === id),
        );
        const result = await executeCell({
          id,
          source: sources.get(id)!,
          output,
          prelude,
          scope,
          signal,
          budget: { ...BUDGETS.quick },
          declaredElsewhere,
          loopLimitMs,
        });
        return result.ok;
      },
      skip: () => undefined,
      change: (id, state) => states.set(id, state),
    },
  );
  return {
    scope,
    scheduler,
    run: (id: string) => scheduler.run(id),
    edit(id: string, source: string) {
      sources.set(id, source);
      scheduler.edit(id, source);
    },
    state: (id: string) => states.get(id) ?? 'idle',
    text: (id: string) => outputs.get(id)?.textContent ?? '',
    value: (name: string) => scope.get(name),
  };
}

describe('live bindings: a name is one variable, shared by every cell', () => {
  test('a closure made in one cell sees a later cell’s assignment', async () => {
    const expected = 5;
    const page = notebook({
      a: 'let epochs = 1;\nconst describe = () => epochs;',
      b: 'epochs = 5;',
      c: 'const seen = describe();',
    });
    await page.run('b');
    await page.run('c');
    expect(page.value('seen')).toBe(expected);
  });

  test('a function that updates its own cell’s let changes what every cell sees', async () => {
    const expected = 2;
    const page = notebook({
      a: 'let count = 0;\nfunction inc() { count++; }',
      b: 'inc();\ninc();',
      c: 'const seen = count;',
    });
    await page.run('b');
    await page.run('c');
    expect(page.value('seen')).toBe(expected);
  });

  test('functions are hoisted, classes, destructuring and shorthand properties are shared', async () => {
    const page = notebook({
      a: 'const early = twice(2);\nfunction twice(x: number) { return 2 * x; }',
      b: 'class Point { constructor(public x: number) {} }\nconst { lr, opt: [first = 7] } = { lr: 0.1, opt: [] };',
      c: 'const made = new Point(3).x;\nconst packed = { lr, first };',
    });
    await page.run('a');
    await page.run('c');
    expect(page.value('early')).toBe(4);
    expect(page.value('made')).toBe(3);
    expect(page.value('packed')).toEqual({ lr: 0.1, first: 7 });
  });

  test('a var in a top-level loop or block is a notebook variable; a let inside a block is not', async () => {
    const page = notebook({
      a: 'for (var i = 0; i < 3; i++) {}\n{ var inBlock = i; let local = 1; }',
      b: 'const seen = [i, inBlock];',
    });
    await page.run('b');
    expect(page.value('seen')).toEqual([3, 3]);
    expect(page.scope.has('local')).toBe(false);
  });

  test('an inner declaration shadows the notebook’s variable, as in JavaScript', async () => {
    const page = notebook({
      a: 'const x = 1;',
      b: 'function f(x: number) { return x + 1; }\nconst y = f(10);\nconst z = (() => { const x = 100; return x; })();',
    });
    await page.run('a');
    await page.run('b');
    expect([page.value('y'), page.value('z'), page.value('x')]).toEqual([11, 100, 1]);
  });
});

describe('a name belongs to one cell', () => {
  test('declaring a name another cell declares is an error that names that cell; nothing runs', async () => {
    const page = notebook({ a: 'const x = 1;', b: 'const marker = 1;\nconst x = 2;' });
    await page.run('a');
    await page.run('b');
    expect(page.state('b')).toBe('error');
    expect(page.text('b')).toMatch(/x is already declared by cell “a”/);
    expect(page.scope.has('marker')).toBe(false);
    expect(page.value('x')).toBe(1);
  });

  test('declaring a prelude name is an error, and once fixed the next cells work', async () => {
    const page = notebook({ a: 'const tf = 1;', b: 'const zeros = tf.zeros([2]).shape;' });
    await page.run('a');
    expect(page.text('a')).toMatch(/tf is already provided by the notebook/);
    page.edit('a', 'const one = 1;');
    await page.run('b');
    expect(page.value('zeros')).toEqual([2]);
  });

  test('re-running a cell removes what it no longer declares', async () => {
    const page = notebook({ a: 'const old = 1;', b: 'const seen = old;' });
    await page.run('a');
    page.edit('a', 'const renamed = 1;');
    await page.run('a');
    expect(page.scope.has('old')).toBe(false);
    await page.run('b');
    expect(page.state('b')).toBe('error');
    expect(page.text('b')).toMatch(/old is not defined/);
  });

  test('another cell cannot assign a const; the same cell is told at once; a let can be assigned', async () => {
    const page = notebook({
      a: 'const k = 1;\nlet v = 1;',
      b: 'k = 2;',
      c: 'v = 2;',
      d: 'const q = 1;\nq = 2;',
    });
    await page.run('b');
    expect(page.text('b')).toMatch(/Assignment to constant variable k \(declared with const in cell “a”\)/);
    await page.run('c');
    expect(page.value('v')).toBe(2);
    await page.run('d');
    expect(page.text('d')).toMatch(/Assignment to constant variable q/);
  });

  test('assigning a name no cell declares is an error, as in strict JavaScript', async () => {
    const page = notebook({ a: 'nowhere = 1;' });
    await page.run('a');
    expect(page.text('a')).toMatch(/nowhere is not defined/);
  });

  test('an error message shows the reader’s names, not the scope object', async () => {
    const page = notebook({ a: 'const model = {};', b: '(model as any).fit();' });
    await page.run('b');
    expect(page.text('b')).toMatch(/model\.fit is not a function/);
    expect(page.text('b')).not.toContain('__nb');
  });
});

describe('dependencies and staleness', () => {
  test('assigning a variable marks the cells that read it stale', async () => {
    const page = notebook({ a: 'let epochs = 1;', b: 'const doubled = epochs * 2;', c: 'epochs = 5;' });
    await page.run('b');
    expect(page.state('b')).toBe('done');
    await page.run('c');
    expect(page.state('b')).toBe('stale');
    await page.run('b');
    expect(page.value('doubled')).toBe(10);
  });

  test('the budget is an input: changing it marks the cells that read it, and their readers, stale', async () => {
    const page = notebook({
      a: 'const size = budget.trainSize;',
      b: 'const twice = size * 2;',
      c: 'const other = 1;',
    });
    await page.run('b');
    await page.run('c');
    page.scheduler.invalidate(['budget']);
    expect([page.state('a'), page.state('b'), page.state('c')]).toEqual(['stale', 'stale', 'done']);
  });
});

describe('output lands under its cell', () => {
  test('every console method writes under the cell, and so does the global console while it runs', async () => {
    const page = notebook({
      a: [
        'console.table([{ a: 1, b: 2 }, { a: 3, b: 4 }]);',
        "console.time('t'); console.timeEnd('t');",
        'console.count(); console.count();',
        "console.group('outer'); console.info('inside'); console.groupEnd();",
        "console.assert(1 > 2, 'one is not above two');",
        'tf.tensor([1, 2]).print();',
        "globalThis.console.log('through the global console');",
      ].join('\n'),
    });
    const browserLog = console.log;
    await page.run('a');
    const text = page.text('a');
    expect(page.state('a')).toBe('done');
    for (const expected of [
      /\(index\)ab012134/,
      /t: \d+\.\d ms/,
      /default: 1default: 2/,
      /outerinside/,
      /Assertion failed: one is not above two/,
      /Tensor\s*\[1, 2\]/,
      /through the global console/,
    ])
      expect(text).toMatch(expected);
    // After the run the global console is the browser's again.
    expect(console.log).toBe(browserLog);
  });

  test('a thrown value that is not an Error is shown as what it is', async () => {
    const page = notebook({ a: 'throw { code: 42 };' });
    await page.run('a');
    expect(page.text('a')).toMatch(/Uncaught \{"code":42\} \(thrown, not an Error\)/);
  });
});

describe('REPL conventions and positions', () => {
  test('a cell that is only a string, or ends with an object literal, shows it', async () => {
    const page = notebook({
      a: "'  spaced   words  '",
      b: 'const e = 3;\n{ lr: 0.1, epochs: e }',
      c: '{ lr: 0.1 }',
    });
    await page.run('a');
    await page.run('b');
    await page.run('c');
    expect(page.text('a')).toContain('  spaced   words  ');
    expect(page.text('b')).toMatch(/lr.*0\.1.*epochs.*3/);
    expect(page.text('c')).toMatch(/lr.*0\.1/);
  });

  test.each([
    [
      'after a template literal',
      'const name: string = "x";\nconst a = `layer ${name}`; const b: number = (missing as number);',
      2,
      'const a = `layer ${name}`; const b: number = ('.length,
    ],
    [
      'in a multi-line string',
      'const s = `one\ntwo ${1 + 1}`; const t: number = missing;',
      2,
      'two ${1 + 1}`; const t: number = '.length,
    ],
    [
      'after TypeScript-only syntax',
      'const m = new Map<string, number[]>();\nconst v = m.get("k")! as number[]; nope();',
      2,
      'const v = m.get("k")! as number[]; '.length,
    ],
  ])('an error %s is reported at its line and column', async (_case, source, line, column) => {
    const page = notebook({ a: source });
    await page.run('a');
    const marker = page.text('a');
    expect(marker).toMatch(new RegExp(`line ${line}, column ${column + 1}\\b`));
  });
});

describe('Stop always stops', () => {
  test('a loop that ignores signal ends at its next iteration when Stop is pressed', async () => {
    const page = notebook({
      a: 'let n = 0;\nwhile (true) {\n  n++;\n  await new Promise((resolve) => setTimeout(resolve, 5));\n}',
    });
    const run = page.run('a');
    await new Promise((resolve) => setTimeout(resolve, 60));
    page.scheduler.stop();
    await run;
    expect(page.state('a')).toBe('stopped');
    expect(page.text('a')).toMatch(/^Stopped by the reader/);
    expect(page.value('n')).toBeGreaterThan(0);
  });

  test('a synchronous loop that keeps the page from updating is interrupted, with a message that says so', async () => {
    const page = notebook({ a: 'let spins = 0;\nfor (;;) spins++;' }, { loopLimitMs: 200 });
    await page.run('a');
    expect(page.state('a')).toBe('error');
    expect(page.text('a')).toMatch(
      /a loop ran for \d+\.\d s without letting the page update, so it was stopped/,
    );
  });
});

describe('values display as what they are', () => {
  test('tensors in arrays, regular expressions and generators are named by what they are', async () => {
    const page = notebook({
      a: '[tf.zeros([2, 3])]',
      b: '/ab+c/g',
      c: '(function* () { yield 1; })()',
    });
    for (const id of ['a', 'b', 'c']) await page.run(id);
    expect(page.text('a')).toContain('Tensor float32 [2, 3]');
    expect(page.text('b')).toContain('/ab+c/g');
    expect(page.text('c')).toContain('Generator');
  });

  test('an async iterable that is not a training run shows its items, and the cell finishes', async () => {
    const page = notebook({ a: "async function* letters() { yield 'x'; yield 'y'; }\nletters();" });
    await page.run('a');
    expect(page.state('a')).toBe('done');
    expect(page.text('a')).toMatch(/"x".*"y"/);
  });
});
