import type * as TF from '@tensorflow/tfjs';
import type { ResultsStore } from '../../lib/train/resultsStore.ts';
import type { RunContext } from './training.ts';

let store: ResultsStore | undefined;

/** The page's results store (IndexedDB, else memory), opened on first use with the library's `openResultsStore`. */
export function pageResultsStore(open: () => ResultsStore): ResultsStore {
  store ??= open();
  return store;
}

/**
 * Describes where a run happens, for its saved result: the lesson and budget from the page's notebook
 * toolbar, the TF.js backend, and the GPU adapter as WebGPU reports it (else the backend's name).
 */
export function pageRunContext(tf: typeof TF, root: Document = document): RunContext {
  const toolbar = root.querySelector<HTMLElement>('notebook-toolbar');
  const budget = toolbar?.querySelector<HTMLSelectElement>('[data-budget]')?.value ?? 'quick';
  const backend = tf.getBackend() ?? 'unknown';
  const info = (
    tf.backend() as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }
  ).adapterInfo;
  const device =
    [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || `${backend} backend`;
  return { budget, backend, device, ...(toolbar?.dataset.lesson ? { lesson: toolbar.dataset.lesson } : {}) };
}
