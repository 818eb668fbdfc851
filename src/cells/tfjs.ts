// TF.js as the page loads it: the API of @tensorflow/tfjs (core with every gradient and chained op,
// layers, data) without its backends. The browser build resolves `@tensorflow/tfjs` to this module
// (astro.config.mjs), so a page fetches only the backend src/lib/backend.ts chooses: the CPU and WebGL
// backends, which the union package bundles eagerly, load on demand like WebGPU and wasm (so a cell's
// own `tf.setBackend(name)` works for the backend in use; the page's "Run on" selector switches). Node
// (the CLI, the tests, build-time rendering) keeps the union package. The model converter
// (loadGraphModel) is left out: no lesson loads a graph model.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { version_core } from '@tensorflow/tfjs-core';
import { version_data } from '@tensorflow/tfjs-data';
import { version_layers } from '@tensorflow/tfjs-layers';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * as data from '@tensorflow/tfjs-data';

/** Versions of the packages this build is made of, as @tensorflow/tfjs reports its own. */
export const version = {
  'tfjs-core': version_core,
  'tfjs-data': version_data,
  'tfjs-layers': version_layers,
};
