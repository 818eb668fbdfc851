import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../../../src/lib/train/resultsStore.ts';
import { createRunResult } from '../../../src/lib/train/results.ts';

// IndexedDB unavailable (issue 8): private modes and blocked storage either hide `indexedDB` or make
// `open()` fail. Saved results must then live in memory for the page, not be lost.

const run = () =>
  createRunResult(
    { model: 'tiny', lesson: 'l1', seed: 1, budget: 'quick', backend: 'cpu', device: 'Node' },
    [{ kind: 'done', reason: 'completed', elapsedMs: 1 }],
    { createId: () => 'run-1' },
  );

/** An IDBFactory whose open() always fails, as Firefox's private mode once did. */
const failingFactory = {
  open() {
    const request = { error: new DOMException('The operation failed', 'InvalidStateError') } as {
      onerror?: () => void;
      error: DOMException;
    };
    setTimeout(() => request.onerror?.(), 0);
    return request;
  },
} as unknown as IDBFactory;

describe('openResultsStore without IndexedDB', () => {
  it('falls back to memory when opening the database fails', async () => {
    const store = openResultsStore(failingFactory);
    await store.save('l1', run());
    expect((await store.list('l1')).map((r) => r.id)).toEqual(['run-1']);
  });

  it('falls back to memory when reading `indexedDB` throws', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    try {
      const store = openResultsStore();
      await store.save('l1', run());
      expect(await store.list('l1')).toHaveLength(1);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'indexedDB', saved);
      else delete (globalThis as { indexedDB?: unknown }).indexedDB;
    }
  });
});
