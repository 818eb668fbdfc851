// What the first Run loads (TF.js, the library, the backend chooser, the wasm binaries' URLs), in one
// place for the two that load it: the notebook's prelude and the page's Export to PyTorch buttons. A
// module of its own, so that an Export button's script does not pull the prelude (and with it the
// runtime's chunk) into a page before the reader runs anything.
import type * as Library from '../lib/index.ts';
import type { BackendPreference } from '../lib/backendNames.ts';

/** Loads the chunks of a first run, all as dynamic imports. */
export function importRunChunks() {
  return Promise.all([
    import('@tensorflow/tfjs'),
    import('../lib/index.ts'),
    import('../lib/backend.ts'),
    import('./wasmAssets.ts'),
  ]);
}

/**
 * Loads the library for the page's own use outside the cells (an Export button): the same chunks as
 * the prelude, with TF.js on the backend already running (the notebook's, or one a cell set), else on
 * the one the notebook's first run would start, so the two never fight over it.
 */
export async function loadLibrary(preference: BackendPreference = 'auto'): Promise<typeof Library> {
  const [tf, lib, { initBackend }, { wasmPaths }] = await importRunChunks();
  if (!tf.getBackend()) await initBackend({ preference, wasmPaths });
  await tf.ready(); // a backend set by the notebook may still be starting
  return lib;
}
