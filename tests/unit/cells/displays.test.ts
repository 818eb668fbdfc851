// Snapshot tests of every cell view, rendered into linkedom's DOM (no browser): the HTML each view makes
// is compared with tests/unit/cells/__snapshots__/displays.test.ts.snap, which changes only on purpose
// (`npx vitest run tests/unit/cells/displays.test.ts -u` rewrites it; review the diff). Charts are
// drawn by the real Observable Plot.
import * as Plot from '@observablehq/plot';
import * as tf from '@tensorflow/tfjs';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../../src/lib/index.ts';
import { renderError, renderWarning } from '../../../src/cells/display/error.ts';
import { displayValue, type DisplayContext } from '../../../src/cells/display/index.ts';
import { inspect } from '../../../src/cells/display/inspector.ts';
import { renderRecords } from '../../../src/cells/display/records.ts';
import { renderTensor } from '../../../src/cells/display/tensor.ts';
import { renderTraining } from '../../../src/cells/display/training.ts';
import type { TrainRecord } from '../../../src/lib/train/types.ts';

beforeAll(async () => {
  const { document, window } = parseHTML('<!doctype html><html><body></body></html>');
  const { Element, Node, HTMLElement } = window;
  Object.assign(globalThis, { document, window, Element, Node, HTMLElement });
  await tf.setBackend('cpu');
});

const html = (node: Node) => (node as Element).outerHTML;
const context = (): DisplayContext => ({ tf, lib, loadPlot: async () => Plot, traceModel: lib.traceModel });

async function shown(value: unknown): Promise<string> {
  const view = document.createElement('div');
  await displayValue(value, view, context());
  return view.innerHTML;
}

describe('cell views (snapshots)', () => {
  test('the inspector: primitives, arrays, objects, maps, errors, functions, class instances', () => {
    class Point {
      x: number;
      y: number;
      constructor(x: number, y: number) {
        this.x = x;
        this.y = y;
      }
    }
    const values: Record<string, unknown> = {
      number: 0.1 + 0.2,
      string: '  two  spaces\nand a line',
      nested: { lr: 0.1, schedule: [30, 60], options: { nesterov: true } },
      map: new Map([['a', 1]]),
      set: new Set([1, 2]),
      regexp: /res(net)?/gi,
      error: new RangeError('too deep'),
      fn: function step(x: number) {
        return x;
      },
      instance: new Point(1, 2),
      nothing: null,
      big: 12n,
    };
    for (const [name, value] of Object.entries(values)) expect(html(inspect(value)), name).toMatchSnapshot();
  });

  test('a tensor: dtype, shape (and PyTorch order), values', async () => {
    const t = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    expect(html(await renderTensor(t, tf))).toMatchSnapshot();
    t.dispose();
    expect(html(await renderTensor(t, tf))).toMatchSnapshot('disposed');
  });

  test('tensors inside an array show as tensors, not by a class name', async () => {
    const a = tf.zeros([2]);
    expect(await shown([a, 1])).toMatchSnapshot();
    a.dispose();
  });

  test('a model: its shape trace', async () => {
    const model = lib.buildModel('cifar-resnet20', { inputShape: [8, 8, 1], classes: 3, width: 0.25 });
    expect(await shown(model)).toMatchSnapshot();
    model.dispose();
  });

  test('a list of records is a table', () => {
    expect(
      html(
        renderRecords([
          { variant: 'identity', error: 6.61 },
          { variant: 'dropout', error: null },
        ]),
      ),
    ).toMatchSnapshot();
  });

  test('an exercise verdict, an error with its caret, a warning', async () => {
    expect(
      await shown({ correct: false, message: 'Not yet: 3 is the size after five halvings.' }),
    ).toMatchSnapshot();
    const source = 'const x = 1;\nx.foo();';
    expect(
      html(renderError(new TypeError('x.foo is not a function'), source, { line: 2, column: 2 })),
    ).toMatchSnapshot();
    expect(html(renderWarning('Training at batch size 512 needs about 3.1 GiB.'))).toMatchSnapshot();
  });

  test('a non-training async iterable lists its items', async () => {
    async function* counts() {
      yield 1;
      yield { done: 'no' };
    }
    expect(await shown(counts())).toMatchSnapshot();
  });

  test('the training view: progress, per-epoch table, final figures and actions of a finished run', async () => {
    const records: TrainRecord[] = [
      {
        kind: 'step',
        epoch: 1,
        step: 1,
        totalSteps: 2,
        loss: 2.3,
        accuracy: 0.1,
        imagesPerSecond: 100,
        elapsedMs: 500,
      },
      {
        kind: 'step',
        epoch: 1,
        step: 2,
        totalSteps: 2,
        loss: 2.1,
        accuracy: 0.2,
        imagesPerSecond: 110,
        elapsedMs: 900,
      },
      {
        kind: 'epoch',
        epoch: 1,
        trainLoss: 2.2,
        trainAccuracy: 0.15,
        testLoss: 2.0,
        testAccuracy: 0.25,
        elapsedMs: 1000,
      },
      { kind: 'done', reason: 'completed', elapsedMs: 1100, best: { epoch: 1, testAccuracy: 0.25 } },
    ] as TrainRecord[];
    const run = {
      info: { model: 'resnet20', seed: 0, options: { batchSize: 16 } },
      async *[Symbol.asyncIterator]() {
        yield* records;
      },
    };
    const view = document.createElement('div');
    await renderTraining(run, view, {
      Plot,
      lib,
      context: { budget: 'quick', backend: 'cpu', device: 'cpu backend', lesson: 'test' },
    });
    // The chart's SVG is Plot's: check what it shows, and snapshot everything around it.
    const chart = view.querySelector('.train-chart')!;
    expect(chart.getAttribute('data-points')).toBe('2');
    expect(chart.querySelector('svg')?.getAttribute('aria-label')).toBe('Training loss over 2 logged steps');
    expect(chart.querySelectorAll('circle').length).toBe(2); // a short run is drawn with dots
    chart.replaceChildren();
    for (const link of view.querySelectorAll('a[href]')) link.setAttribute('href', 'blob:…');
    expect(view.innerHTML).toMatchSnapshot();
  });
});
