import type * as PlotModule from '@observablehq/plot';
import type * as TF from '@tensorflow/tfjs';
import type { BackendChoice } from '../lib/backend.ts';
import { withBase } from '../paths.ts';

/** What every cell can use without importing: loaded once, on the first run. */
export interface Prelude {
  tf: typeof TF;
  Plot: typeof PlotModule;
  /** The library's public API (src/lib/index.ts) as a namespace; each value export is also a prelude name. */
  lib: Record<string, unknown>;
  backend: BackendChoice;
  /** Chooses the backend again (after a WebGPU device loss); returns the new choice. */
  reinitBackend(): Promise<BackendChoice>;
  /** The message of an unrecovered WebGPU device loss, or null. */
  deviceLoss(): string | null;
  /** Names always in scope, with their values (per-run names such as `display` are added by the runtime). */
  values: Map<string, unknown>;
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
 * Loads TF.js, chooses its backend (WebGPU, else WebGL, else CPU), and loads Observable Plot and the
 * library. Everything here is a dynamic import, so a lesson page pays for it only on its first run.
 */
export async function loadPrelude(onDeviceLost: (message: string) => void): Promise<Prelude> {
  const [tf, Plot, lib, { initBackend, getDeviceLoss }] = await Promise.all([
    import('@tensorflow/tfjs'),
    import('@observablehq/plot'),
    import('../lib/index.ts') as Promise<Record<string, unknown>>,
    import('../lib/backend.ts'),
  ]);
  const backend = await initBackend({ onDeviceLost });
  nameLayersInErrors(tf);
  const values = new Map<string, unknown>([
    ['tf', tf],
    ['Plot', Plot],
    ['lib', lib],
  ]);
  // The folder of the prepared Fashion-MNIST shards under the site's base path, for `loadFashionMnist`.
  values.set('dataUrl', withBase('data/fashion-mnist/'));
  for (const [name, value] of Object.entries(lib)) if (!values.has(name)) values.set(name, value);
  const { chooseImages, loadExampleImages } = await import('./display/folderPicker.ts'); // lesson 7's image folders
  values.set('chooseImages', chooseImages).set('loadExampleImages', loadExampleImages);
  const reinitBackend = () => initBackend({ onDeviceLost });
  return { tf, Plot, lib, backend, values, reinitBackend, deviceLoss: getDeviceLoss };
}
