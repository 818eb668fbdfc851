import type * as TF from '@tensorflow/tfjs';
import type { ResultsStore } from '../../lib/train/resultsStore.ts';
import type { ReferenceOverlay } from './reference.ts';
import type { RunInfo } from '../../lib/train/types.ts';
import type { RunContext } from './training.ts';

/** What views need of the page they are on, passed to them explicitly (src/cells/runtime.ts makes it). */
export interface PageContext {
  /** The page's results store (IndexedDB, else memory), opened on first use. */
  results(): ResultsStore;
  /** Where a run happens, for its saved result. */
  runContext(): RunContext;
  /** The page's reference curves for a run, if it has some (lessons embed them at build time). */
  findReference(info: RunInfo | undefined): ReferenceOverlay | null;
}

/**
 * Describes where a run happens, for its saved result: the lesson and budget of the page, the TF.js
 * backend, and the GPU adapter as WebGPU reports it (else the backend's name).
 */
export function runContextOf(tf: typeof TF, page: { budget: string; lesson?: string }): RunContext {
  const backend = tf.getBackend() ?? 'unknown';
  const info = (
    tf.backend() as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }
  ).adapterInfo;
  const device =
    [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || `${backend} backend`;
  return { ...page, backend, device };
}
