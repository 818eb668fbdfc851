import { describe, expect, test } from 'vitest';
import {
  createMemoryStorage,
  EditStore,
  hashSource,
  loadBudgetName,
  openStorage,
  saveBudgetName,
  type KeyValueStorage,
} from '../../../src/cells/storage.ts';

describe('EditStore', () => {
  test('saves an edit stamped with the hash of its original and loads it back', () => {
    const storage = createMemoryStorage();
    const store = new EditStore('01-vgg', { storage, persistent: true });
    store.save('block', 'original', 'edited');
    const raw = JSON.parse(storage.getItem('reslab:cell:01-vgg:block')!);
    expect(raw.originalHash).toBe(hashSource('original'));
    expect(store.load('block', 'original')).toEqual({ source: 'edited', isOutdated: false });
    expect(new EditStore('other-lesson', { storage, persistent: true }).load('block', 'original')).toBeNull();
  });

  test('an edit made against an older original is flagged; keep re-stamps it', () => {
    const store = new EditStore('l', { storage: createMemoryStorage(), persistent: true });
    store.save('c', 'old original', 'my edit');
    expect(store.load('c', 'new original')).toEqual({ source: 'my edit', isOutdated: true });
    store.keep('c', 'new original');
    expect(store.load('c', 'new original')).toEqual({ source: 'my edit', isOutdated: false });
  });

  test('saving the original again, or resetting, forgets the edit', () => {
    const store = new EditStore('l', { storage: createMemoryStorage(), persistent: true });
    store.save('c', 'o', 'e');
    expect(store.hasEdits(['c'])).toBe(true);
    store.save('c', 'o', 'o');
    expect(store.load('c', 'o')).toBeNull();
    store.save('c', 'o', 'e');
    store.reset('c');
    expect(store.hasEdits(['c'])).toBe(false);
  });

  test('storage that throws falls back to memory and says so', () => {
    const broken: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(openStorage(() => broken).persistent).toBe(false);
    expect(
      openStorage(() => {
        throw new Error('SecurityError');
      }).persistent,
    ).toBe(false);
    // Storage that worked at first and then fills up: edits keep working in memory.
    let full = false;
    const flaky = createMemoryStorage();
    const store = new EditStore('l', {
      storage: {
        ...flaky,
        setItem: (k, v) => {
          if (full) throw new Error('full');
          flaky.setItem(k, v);
        },
      },
      persistent: true,
    });
    full = true;
    store.save('c', 'o', 'edit');
    expect(store.persistent).toBe(false);
    expect(store.load('c', 'o')).toEqual({ source: 'edit', isOutdated: false });
  });

  test('hashes differ for different sources and are stable', () => {
    expect(hashSource('a')).toBe(hashSource('a'));
    expect(hashSource('a')).not.toBe(hashSource('b'));
  });
});

describe('budget preference', () => {
  test('is remembered, with a fallback', () => {
    const storage = createMemoryStorage();
    expect(loadBudgetName(storage, 'quick')).toBe('quick');
    saveBudgetName(storage, 'reference');
    expect(loadBudgetName(storage, 'quick')).toBe('reference');
  });
});
