import type * as PlotModule from '@observablehq/plot';
import type * as TF from '@tensorflow/tfjs';
import type * as Library from '../../lib/index.ts';
import type { RunInfo } from '../../lib/train/types.ts';
import { inspect } from './inspector.ts';
import { isRecordList, renderRecords } from './records.ts';
import { renderModel, type ExportModel, type TraceModel } from './model.ts';
import { isNode, renderNode } from './plot.ts';
import { renderTensor } from './tensor.ts';
import { isClassification, renderClassification } from './prediction.ts';
import type { PageContext } from './runContext.ts';
import { renderTraining, type TrainingDisplayOptions } from './training.ts';

/** What rich views need: the loaded TF.js, Plot (loaded by the first view that charts), the library's tracer and exporter. */
export interface DisplayContext {
  tf: typeof TF;
  /** The library (src/lib/index.ts), as the prelude loaded it with TF.js. */
  lib: typeof Library;
  loadPlot: () => Promise<typeof PlotModule>;
  traceModel?: TraceModel;
  /** Exports a model to PyTorch for the button under its view (the runtime binds the library and the page). */
  exportModel?: ExportModel;
  /** The page the views are on (results store, run context, reference curves); absent in tests of one view. */
  page?: PageContext;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
/** An exercise verdict from the library's `checkAnswer`. */
const isCheckResult = (value: unknown): value is { correct: boolean; message: string } =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 2 &&
  typeof (value as { correct?: unknown }).correct === 'boolean' &&
  typeof (value as { message?: unknown }).message === 'string';

function renderCheck(result: { correct: boolean; message: string }): HTMLElement {
  const verdict = document.createElement('p');
  verdict.className = `cell-check ${result.correct ? 'cell-check-right' : 'cell-check-wrong'}`;
  verdict.setAttribute('role', 'status');
  verdict.textContent = result.message;
  return verdict;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

/**
 * Shows a value in `view` with the richest view that fits: a training run (consumed live), a tensor,
 * a model's shape trace, a DOM node or Plot figure, a classification's probabilities, else the object
 * inspector. Promises are awaited.
 */
export async function displayValue(
  value: unknown,
  view: HTMLElement,
  context: DisplayContext,
  training: TrainingDisplayOptions = {},
): Promise<void> {
  const item = document.createElement('div');
  item.className = 'cell-value';
  view.append(item);
  if (isThenable(value)) value = await value;
  const { tf } = context;
  if (value instanceof tf.Tensor) item.append(await renderTensor(value, tf));
  else if (value instanceof tf.LayersModel)
    item.append(renderModel(value, context.traceModel, context.exportModel));
  else if (isNode(value)) item.append(renderNode(value));
  else if (isCheckResult(value)) item.append(renderCheck(value));
  else if (isRecordList(value)) item.append(renderRecords(value));
  else if (isClassification(value)) item.append(renderClassification(value, await context.loadPlot()));
  else if (isAsyncIterable(value)) await renderAsyncIterable(value, item, context, training);
  else item.append(inspect(value));
}

const recordKinds = new Set(['step', 'epoch', 'done']);
const isTrainRecord = (value: unknown) =>
  typeof value === 'object' && value !== null && recordKinds.has((value as { kind?: string }).kind ?? '');

/**
 * An async iterable: a run of `train()`/`compare()` (its first item is a training record, also when a
 * cell wraps the run in a generator of its own) opens the live training view; anything else shows its
 * items as they come, up to a limit.
 */
async function renderAsyncIterable(
  iterable: AsyncIterable<unknown>,
  item: HTMLElement,
  context: DisplayContext,
  training: TrainingDisplayOptions,
): Promise<void> {
  const waiting = Object.assign(document.createElement('p'), {
    className: 'cell-loading',
    textContent: 'Starting…',
  });
  item.append(waiting);
  const iterator = iterable[Symbol.asyncIterator]();
  const first = await iterator.next();
  waiting.remove();
  if (!first.done && isTrainRecord(first.value)) {
    const info = (iterable as { info?: RunInfo }).info;
    const replay = {
      info,
      async *[Symbol.asyncIterator]() {
        try {
          yield first.value;
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
        } finally {
          await iterator.return?.();
        }
      },
    };
    await renderTraining(replay, item, {
      Plot: await context.loadPlot(),
      lib: context.lib,
      ...(context.page
        ? {
            store: context.page.results(),
            context: context.page.runContext(),
            reference: context.page.findReference(info),
          }
        : {}),
      ...training,
    });
    return;
  }
  const limit = 1000;
  let count = 0;
  for (let next = first; !next.done; next = await iterator.next()) {
    if (++count > limit) {
      await iterator.return?.();
      item.append(
        Object.assign(document.createElement('p'), { textContent: `… stopped after ${limit} items` }),
      );
      return;
    }
    item.append(inspect(next.value, false));
  }
}
