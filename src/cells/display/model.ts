import type * as TF from '@tensorflow/tfjs';
import type { ModelTrace } from '../../lib/trace.ts';
import type { ExportedZip } from '../pytorchExport.ts';
import { formatNumber, formatShape, h, table } from './dom.ts';
import { renderExportButton } from './exportButton.ts';

/** Traces a model with the library's `traceModel`; the runtime passes it when the library loaded. */
export type TraceModel = (model: TF.LayersModel) => ModelTrace;

/** Exports a model with its current weights as a PyTorch package zip; the runtime passes it with the library. */
export type ExportModel = (model: TF.LayersModel) => Promise<ExportedZip>;

function renderTrace(trace: ModelTrace): HTMLElement {
  const rows = trace.layers.map((layer) => [
    layer.name,
    layer.type,
    formatShape(layer.outputShape),
    formatShape(layer.outputShapeTorch),
    formatNumber(layer.trainable + layer.nonTrainable),
    formatNumber(layer.macs),
  ]);
  const { trainable, nonTrainable, total } = trace.params;
  return h(
    'div',
    { class: 'model-view' },
    table(
      `${trace.model}: shape trace (${trace.layers.length} layers)`,
      ['Layer', 'Type', 'Output (TF.js)', 'Output (PyTorch)', 'Params', 'MACs'],
      rows,
      [false, false, false, false, true, true],
    ),
    h(
      'p',
      { class: 'model-totals' },
      `${formatNumber(total)} parameters (${formatNumber(trainable)} trainable, ${formatNumber(nonTrainable)} non-trainable) · ${formatNumber(trace.macs)} multiply-accumulates per image`,
    ),
  );
}

function renderLayers(model: TF.LayersModel): HTMLElement {
  const rows = model.layers.map((layer) => {
    const shape = layer.outputShape;
    const text = Array.isArray(shape[0])
      ? (shape as (number | null)[][]).map(formatShape).join(' ')
      : formatShape(shape as (number | null)[]);
    return [layer.name, layer.getClassName(), text, formatNumber(layer.countParams())];
  });
  return h(
    'div',
    { class: 'model-view' },
    table(`${model.name}: layers`, ['Layer', 'Type', 'Output shape', 'Params'], rows, [
      false,
      false,
      false,
      true,
    ]),
    h('p', { class: 'model-totals' }, `${formatNumber(model.countParams())} parameters`),
  );
}

function renderView(model: TF.LayersModel, traceModel?: TraceModel): HTMLElement {
  if (traceModel) {
    try {
      return renderTrace(traceModel(model));
    } catch {
      // A model the tracer does not support (a custom layer, say) still gets the plain layer list.
    }
  }
  return renderLayers(model);
}

/**
 * Renders a TF.js model as its shape trace (the library's) or, failing that, its layer list; with
 * `exportModel`, an "Export to PyTorch" button under it, which exports the weights as they are when clicked.
 */
export function renderModel(
  model: TF.LayersModel,
  traceModel?: TraceModel,
  exportModel?: ExportModel,
): HTMLElement {
  const view = renderView(model, traceModel);
  if (exportModel)
    view.append(
      renderExportButton(
        { what: model.name, note: 'model.py, its current weights and train.py, as a zip' },
        () => exportModel(model),
      ),
    );
  return view;
}
