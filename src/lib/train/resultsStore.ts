import { parseResults, resultsToJSON, type RunResult } from './results.ts';

/** Where a page keeps its runs, grouped by lesson. */
export interface ResultsStore {
  /** Returns a lesson's runs, oldest first. */
  list(lesson: string): Promise<RunResult[]>;
  /** Adds or replaces a run (by id). */
  save(lesson: string, run: RunResult): Promise<void>;
  /** Removes one run. */
  remove(lesson: string, id: string): Promise<void>;
  /** Removes all of a lesson's runs. */
  clear(lesson: string): Promise<void>;
}

/** Creates a store that lives as long as the page (used when IndexedDB is unavailable, and in tests). */
export function createMemoryResultsStore(): ResultsStore {
  const lessons = new Map<string, Map<string, RunResult>>();
  const runsOf = (lesson: string): Map<string, RunResult> => {
    if (!lessons.has(lesson)) lessons.set(lesson, new Map());
    return lessons.get(lesson)!;
  };
  return {
    async list(lesson) {
      // A copy through JSON, so callers cannot change stored runs and get what IndexedDB would give.
      return parseResults(resultsToJSON([...runsOf(lesson).values()])).sort(byCreation);
    },
    async save(lesson, run) {
      runsOf(lesson).set(run.id, parseResults(resultsToJSON(run))[0]);
    },
    async remove(lesson, id) {
      runsOf(lesson).delete(id);
    },
    async clear(lesson) {
      lessons.delete(lesson);
    },
  };
}

const STORE = 'runs';

/**
 * Creates a store in IndexedDB (database `reslab-results`, one object store keyed by [lesson, id]),
 * so runs survive reloads. Stored runs are validated on the way out like an imported file.
 */
export function createIndexedDbResultsStore(
  factory: IDBFactory = globalThis.indexedDB,
  name = 'reslab-results',
): ResultsStore {
  let opened: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> =>
    (opened ??= new Promise((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: ['lesson', 'id'] });
        store.createIndex('lesson', 'lesson');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }));
  const run = async <T>(
    mode: IDBTransactionMode,
    body: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> => {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = body(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  };
  return {
    async list(lesson) {
      const rows = await run(
        'readonly',
        (s) => s.index('lesson').getAll(lesson) as IDBRequest<{ json: string }[]>,
      );
      return rows.flatMap((row) => parseResults(row.json)).sort(byCreation);
    },
    async save(lesson, result) {
      await run('readwrite', (s) => s.put({ lesson, id: result.id, json: resultsToJSON(result) }));
    },
    async remove(lesson, id) {
      await run('readwrite', (s) => s.delete([lesson, id]));
    },
    async clear(lesson) {
      await run('readwrite', (s) => s.delete(IDBKeyRange.bound([lesson], [lesson, []])));
    },
  };
}

/** Opens the IndexedDB store when IndexedDB works, else (absent, blocked, failing to open) an in-memory one. */
export function openResultsStore(factory?: IDBFactory): ResultsStore {
  let idb: IDBFactory | undefined = factory;
  try {
    idb ??= globalThis.indexedDB; // a getter that throws where storage is blocked
  } catch {
    idb = undefined;
  }
  const memory = createMemoryResultsStore();
  if (!idb) return memory;
  // If the database cannot be opened (private modes, blocked storage), runs live in memory instead.
  const durable = createIndexedDbResultsStore(idb);
  let store: Promise<ResultsStore> | undefined;
  const pick = () =>
    (store ??= durable.list('').then(
      () => durable,
      () => memory,
    ));
  return {
    list: async (lesson) => (await pick()).list(lesson),
    save: async (lesson, run) => (await pick()).save(lesson, run),
    remove: async (lesson, id) => (await pick()).remove(lesson, id),
    clear: async (lesson) => (await pick()).clear(lesson),
  };
}

function byCreation(a: RunResult, b: RunResult): number {
  return a.createdAt.localeCompare(b.createdAt);
}
