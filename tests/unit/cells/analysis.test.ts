import { describe, expect, test } from 'vitest';
import { findDeclarations } from '../../../src/cells/declarations.ts';
import { CellSyntaxError, parseCell } from '../../../src/cells/parse.ts';
import { findReferences } from '../../../src/cells/references.ts';
import { NotebookScope } from '../../../src/cells/scope.ts';
import { transpileCell } from '../../../src/cells/transpile.ts';

const analyse = (source: string) => {
  const { program } = parseCell(source);
  return { declarations: findDeclarations(program), ...findReferences(program) };
};

describe('findDeclarations', () => {
  test('finds const, let, var, function, class and every destructured name', () => {
    const { declarations } = analyse(`
      const a = 1, b = 2;
      let { c, d: [e, ...f], g = 3, ...h } = obj;
      var [i, , j = 4] = list;
      function k() {}
      class L {}
      async function* m() {}
    `);
    expect(declarations).toEqual(['a', 'b', 'c', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'L', 'm']);
  });

  test('ignores declarations inside blocks, functions and loops', () => {
    const { declarations } = analyse(`
      if (x) { const inner = 1; }
      for (let i = 0; i < 3; i++) { var hoisted = i; }
      function f() { const local = 2; }
      { class Hidden {} }
    `);
    expect(declarations).toEqual(['f']);
  });

  test('sees through TypeScript: enums become variables, types and interfaces vanish', () => {
    const { declarations } = analyse(`
      interface Shape { h: number }
      type Pair = [number, number];
      enum Direction { Up, Down }
      const size: Shape = { h: 1 };
    `);
    expect(declarations).toEqual(['Direction', 'size']);
  });
});

describe('findReferences', () => {
  test('free names are inputs; globals, locals and top-level declarations are not', () => {
    const { inputs } = analyse(`
      const model = buildModel(width);
      const y = Math.max(model.x, JSON.parse('1'));
      console.log(y, tf.zeros([1]));
    `);
    expect(inputs).toEqual(['buildModel', 'width', 'console', 'tf']);
  });

  test('shadowing in blocks, functions, parameters, catch clauses and loops', () => {
    const { inputs } = analyse(`
      function f(a, { b }, ...rest) { return a + b + rest.length + c; }
      { const image = 1; image; }
      image;
      try { risky(); } catch (error) { error; }
      for (const item of items) item;
      const g = (x = defaultX) => x;
      class K { method(self) { return self + field; } }
      const h = function named() { return named; };
    `);
    expect(inputs).toEqual(['c', 'image', 'risky', 'items', 'defaultX', 'field']);
  });

  test('a later var or function in an inner scope still shadows (hoisting)', () => {
    const { inputs } = analyse(`
      function f() { use(hoisted); var hoisted = 1; return inner(); function inner() { return 2; } }
    `);
    expect(inputs).toEqual(['use']);
  });

  test('member properties, object keys and labels are not references', () => {
    const { inputs } = analyse(`
      const o = { key: value, [computed]: 1, shorthand };
      o.prop.deeper;
      outer: for (;;) { break outer; }
    `);
    expect(inputs).toEqual(['value', 'computed', 'shorthand']);
  });

  test('assignments to free names are inputs that are also assigned', () => {
    const { inputs, assigned } = analyse(`
      counter = counter + 1;
      total++;
      [first, second] = pair;
      ({ key: third } = record);
      let local; local = 2;
    `);
    expect(inputs).toEqual(['counter', 'total', 'first', 'second', 'pair', 'third', 'record']);
    expect(assigned).toEqual(['counter', 'total', 'first', 'second', 'third']);
  });

  test('top-level await parses and its operands are references', () => {
    const { inputs, declarations } = analyse(
      `const data = await loadData(budget.trainSize);\nfor await (const r of train(model)) r;`,
    );
    expect(declarations).toEqual(['data']);
    expect(inputs).toEqual(['loadData', 'budget', 'train', 'model']);
  });
});

describe('parseCell', () => {
  test('a TypeScript syntax error reports the position in the TypeScript', () => {
    const error = (() => {
      try {
        parseCell('const a = 1;\nconst x: number = ;');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CellSyntaxError);
    expect((error as CellSyntaxError).position).toEqual({ line: 2, column: 18 });
  });

  test('imports and exports are rejected with an explanation', () => {
    expect(() => parseCell(`import * as tf from '@tensorflow/tfjs';`)).toThrow(/invalid import in a cell/);
    expect(() => parseCell(`export const a = 1;`)).toThrow(/invalid export in a cell/);
  });

  test('maps columns back across stripped types', () => {
    const { js, toSource } = parseCell('const value: number = missing;');
    const column = js.indexOf('missing');
    expect(toSource({ line: 1, column })).toEqual({ line: 1, column: 'const value: number = '.length });
  });
});

describe('transpileCell output runs', () => {
  const run = async (source: string) => {
    const compiled = transpileCell(source);
    const cell = (0, eval)(compiled.code) as (scope: object, inputs: object) => Promise<{ value: unknown }>;
    const scope = new NotebookScope();
    scope.claim('cell', compiled.declarations, compiled.constants);
    return cell(scope.view('cell'), {});
  };

  test.each([
    ['const a = 1;\n({ a, b: 2 });', { a: 1, b: 2 }],
    ['const a = 1;\n({\n  a, // comment\n  b: [a, 2],\n})', { a: 1, b: [1, 2] }],
    ['const xs = [1, 2, 3];\nxs.map((x) => x * 2); // doubled', [2, 4, 6]],
    ['(1 + 2) * 3;', 9],
  ])('the last expression of %j is the value', async (source, value) => {
    expect((await run(source)).value).toEqual(value);
  });
});

describe('parseCell', () => {
  test('parses a source once: the scheduler’s analysis and the run’s compile share the parse', () => {
    const source = 'const once = [1, 2].map((x: number) => x * 2)';
    expect(parseCell(source)).toBe(parseCell(source));
    expect(parseCell(`${source};`)).not.toBe(parseCell(source));
  });
});
