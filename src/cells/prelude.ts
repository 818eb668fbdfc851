import type * as PlotModule from '@observablehq/plot';
import type * as TF from '@tensorflow/tfjs';
import type * as Library from '../lib/index.ts';
import type { BackendChoice } from '../lib/backend.ts';
import type { BackendPreference } from '../lib/backendNames.ts';
import { withBase } from '../paths.ts';
import { importRunChunks } from './loadLibrary.ts';

/** What every cell can use without importing: loaded once, on the first run. */
export interface Prelude {
  tf: typeof TF;
  /** Loads Observable Plot (once): only cells that use it, and the views that chart, pay for it. */
  loadPlot(): Promise<typeof PlotModule>;
  /** The library's public API (src/lib/index.ts) as a namespace; each value export is also a prelude name. */
  lib: typeof Library;
  backend: BackendChoice;
  /** Chooses the backend again (after a WebGPU device loss, or with another preference); returns the choice. */
  reinitBackend(preference?: BackendPreference): Promise<BackendChoice>;
  /** The message of an unrecovered WebGPU device loss, or null. */
  deviceLoss(): string | null;
  /** Names always in scope, with their values (per-run names such as `display` are added by the runtime). */
  values: Map<string, unknown>;
  /** Names in scope whose value loads on the first cell that reads one (`Plot`), by their loaders. */
  lazyValues: Map<string, () => Promise<unknown>>;
}

/** Names the runtime adds per run: output, logging, Stop and the training budget. */
export const perRunNames = ['display', 'console', 'signal', 'budget'] as const;

// TF.js reports shape errors from inside an op ("Error in matMul: inner shapes…"); wrapping
// Layer.apply once lets the innermost layer add its name, so the reader knows where it broke.
function nameLayersInErrors(tf: typeof TF): void {
  const layer = tf.layers.Layer.prototype as unknown as {
    apply(...args: unknown[]): unknown;
    __reslabNamed?: boolean;
  };
  if (layer.__reslabNamed) return;
  const apply = layer.apply;
  layer.apply = function (this: TF.layers.Layer, ...args: unknown[]) {
    try {
      return apply.apply(this, args);
    } catch (error) {
      if (error instanceof Error && !(error as { layer?: string }).layer) {
        (error as { layer?: string }).layer = this.name;
        if (!error.message.includes(this.name))
          error.message = `${error.message} (in layer "${this.name}", ${this.getClassName()})`;
        const shapes = describeInputShapes(args[0]);
        if (shapes) error.message = `${error.message}; its input shape: ${shapes}`;
      }
      throw error;
    }
  };
  layer.__reslabNamed = true;
}

// The shape(s) a layer was given, as TF.js writes them ("[null,8]"), so a shape error shows both sides.
function describeInputShapes(inputs: unknown): string | null {
  const shapeOf = (x: unknown) => (x as { shape?: unknown } | null)?.shape;
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const shapes = list.map(shapeOf);
  if (!shapes.every(Array.isArray)) return null;
  return shapes.map((shape) => JSON.stringify(shape)).join(' and ');
}

/**
 * Loads TF.js, chooses its backend (`auto`: WebGPU on a real GPU, else wasm, else WebGL, else CPU; or the
 * reader's choice), and loads the library; Observable Plot loads when a cell or a chart first needs it.
 * Everything here is a dynamic import, so a lesson page pays for it only on its first run, and only for
 * the backend it runs on.
 */
export async function loadPrelude(
  onDeviceLost: (message: string) => void,
  preference: BackendPreference = 'auto',
): Promise<Prelude> {
  const [tf, lib, { initBackend, getDeviceLoss }, { wasmPaths }] = await importRunChunks();
  let current = preference;
  const start = (next: BackendPreference) => initBackend({ preference: next, wasmPaths, onDeviceLost });
  const backend = await start(current);
  nameLayersInErrors(tf);
  let plot: Promise<typeof PlotModule> | null = null;
  const loadPlot = () => {
    plot ??= import('@observablehq/plot');
    plot.catch(() => (plot = null)); // a failed download is tried again on the next use
    return plot;
  };
  const values = new Map<string, unknown>([
    ['tf', tf],
    ['lib', lib],
  ]);
  const lazyValues = new Map<string, () => Promise<unknown>>([['Plot', loadPlot]]);
  // The folder of the prepared Fashion-MNIST shards under the site's base path, for `loadFashionMnist`.
  values.set('dataUrl', withBase('data/fashion-mnist/'));
  for (const [name, value] of Object.entries(lib)) if (!values.has(name)) values.set(name, value);
  // Lesson 7's image folders: loaded by the first cell that uses them, like Plot.
  const folderPicker = () => import('./display/folderPicker.ts');
  lazyValues
    .set('chooseImages', async () => (await folderPicker()).chooseImages)
    .set('loadExampleImages', async () => (await folderPicker()).loadExampleImages);
  const reinitBackend = (next: BackendPreference = current) => start((current = next));
  return { tf, loadPlot, lib, backend, values, lazyValues, reinitBackend, deviceLoss: getDeviceLoss };
}
