/** The part of the Web Storage API the notebook uses; tests pass a fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A saved edit of a cell and how it relates to the lesson's current original. */
export interface StoredEdit {
  source: string;
  /** True when the lesson's original code changed since the reader made this edit. */
  isOutdated: boolean;
}

/** Returns a short stable hash of a text (cyrb53, hex), used to stamp an edit with its original. */
export function hashSource(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** A Map-backed storage for when the browser's is unavailable; lost on reload. */
export function createMemoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Returns `localStorage` when it works (a test write succeeds), else an in-memory store;
 * `persistent` tells which, so the page can say that edits will not survive a reload.
 */
export function openStorage(candidate: () => KeyValueStorage = () => globalThis.localStorage): {
  storage: KeyValueStorage;
  persistent: boolean;
} {
  try {
    const storage = candidate();
    const probe = 'reslab:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return { storage, persistent: true };
  } catch {
    return { storage: createMemoryStorage(), persistent: false };
  }
}

const editKey = (lesson: string, cellId: string) => `reslab:cell:${lesson}:${cellId}`;

/**
 * Keeps the reader's edits per lesson and cell, each stamped with the hash of the original it was
 * made from, so a changed lesson is noticed instead of silently shadowed.
 */
export class EditStore {
  private storage: KeyValueStorage;
  private readonly lesson: string;
  /** False once writing failed (quota, policy): edits live in memory from then on. */
  persistent: boolean;

  constructor(lesson: string, opened: { storage: KeyValueStorage; persistent: boolean } = openStorage()) {
    this.lesson = lesson;
    this.storage = opened.storage;
    this.persistent = opened.persistent;
  }

  /** Returns the saved edit of a cell, or null when the reader has not changed it. */
  load(cellId: string, original: string): StoredEdit | null {
    let raw: string | null;
    try {
      raw = this.storage.getItem(editKey(this.lesson, cellId));
    } catch {
      return null;
    }
    if (raw === null) return null;
    try {
      const { source, originalHash } = JSON.parse(raw) as { source: unknown; originalHash: unknown };
      if (typeof source !== 'string' || source === original) return null;
      return { source, isOutdated: originalHash !== hashSource(original) };
    } catch {
      return null;
    }
  }

  /** Saves an edit (or forgets it when the source is the original again). */
  save(cellId: string, original: string, source: string): void {
    const key = editKey(this.lesson, cellId);
    try {
      if (source === original) this.storage.removeItem(key);
      else
        this.storage.setItem(
          key,
          JSON.stringify({ source, originalHash: hashSource(original), savedAt: Date.now() }),
        );
    } catch {
      // Quota exceeded or storage revoked: keep working in memory and let the page say so.
      const memory = createMemoryStorage();
      if (source !== original)
        memory.setItem(key, JSON.stringify({ source, originalHash: hashSource(original) }));
      this.storage = memory;
      this.persistent = false;
    }
  }

  /** Re-stamps an outdated edit with the current original, so the reader is not asked again. */
  keep(cellId: string, original: string): void {
    const edit = this.load(cellId, original);
    if (edit) this.save(cellId, original, edit.source);
  }

  /** Forgets the edit of a cell. */
  reset(cellId: string): void {
    try {
      this.storage.removeItem(editKey(this.lesson, cellId));
    } catch {
      // Nothing stored or storage gone: either way there is no edit left.
    }
  }

  /** Whether any cell of this lesson has a saved edit (checked on page load, before anything heavy loads). */
  hasEdits(cellIds: readonly string[]): boolean {
    try {
      return cellIds.some((id) => this.storage.getItem(editKey(this.lesson, id)) !== null);
    } catch {
      return false;
    }
  }
}

const budgetKey = 'reslab:budget';

/** Returns the remembered training budget name, or `fallback`. */
export function loadBudgetName(storage: KeyValueStorage, fallback: string): string {
  try {
    return storage.getItem(budgetKey) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Remembers the training budget name. */
export function saveBudgetName(storage: KeyValueStorage, name: string): void {
  try {
    storage.setItem(budgetKey, name);
  } catch {
    // Not remembered across pages; the selector still applies to this page.
  }
}
