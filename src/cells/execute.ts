import type * as PlotModule from '@observablehq/plot';
import type { Budget } from './budget.ts';
import { createDisplay } from './display/api.ts';
import { displayValue } from './display/index.ts';
import { table } from './display/dom.ts';
import { explainUndefined, renderError, renderWarning, type Declaration } from './display/error.ts';
import { inspect } from './display/inspector.ts';
import { sizedPlot } from './display/plot.ts';
import type { ExportModel, TraceModel } from './display/model.ts';
import type { PageContext } from './display/runContext.ts';
import { trackAllocations, type Allocation } from './hygiene.ts';
import type { ModelLike } from '../lib/memory.ts';
import { CellSyntaxError, type SourcePosition } from './parse.ts';
import type { Prelude } from './prelude.ts';
import { BUILD_LIBRARY, describeSource, zipModel } from './pytorchExport.ts';
import type { NotebookScope } from './scope.ts';
import { LOOP_GUARD, SCOPE_NAME, transpileCell, type CompiledCell } from './transpile.ts';

/** Everything one run of a cell needs. */
export interface ExecuteOptions {
  id: string;
  source: string;
  output: HTMLElement;
  prelude: Prelude;
  /** The notebook's variables: the cell reads and writes them here, live. */
  scope: NotebookScope;
  signal: AbortSignal;
  budget: Budget;
  /** Finds which cell declares a name, to explain a "not defined" error; default: none does. */
  findDeclaration?: (name: string) => Declaration | null;
  /** Names other cells of the page declare, each with its cell (a name belongs to one cell); default none. */
  declaredElsewhere?: ReadonlyMap<string, string>;
  /** The page the cell is on, for views that save results or draw its references. */
  page?: PageContext;
  /** How long a loop may keep the page from updating before it is stopped; default 8 s. */
  loopLimitMs?: number;
}

/**
 * The loop guard of the cell that runs now (one at a time). Loops in functions a cell defined also
 * call it later, from other cells' runs: they then answer to that run's Stop.
 */
let activeGuard: (() => void) | null = null;
const loopGuard = () => activeGuard?.();

/** Starts a run's loop guard: Stop ends a loop at its next iteration, and so does blocking the page too long. */
function startLoopGuard(signal: AbortSignal, limitMs: number): () => void {
  let lastBeat = performance.now();
  const beat = setInterval(() => (lastBeat = performance.now()), 100);
  activeGuard = () => {
    if (signal.aborted) throw signal.reason ?? new DOMException('Stopped by the reader.', 'AbortError');
    const blocked = performance.now() - lastBeat;
    if (blocked > limitMs)
      throw new Error(
        `a loop ran for ${(blocked / 1000).toFixed(1)} s without letting the page update, so it was stopped (the page cannot answer Stop meanwhile). Put \`await tf.nextFrame();\` in the loop to let the page breathe, or do less per run.`,
      );
  };
  return () => {
    clearInterval(beat);
    activeGuard = null;
  };
}

/** How a run ended: success, or the error's position in the reader's code (if known). */
export interface ExecuteResult {
  ok: boolean;
  errorPosition: SourcePosition | null;
  /** What the run created; the caller disposes it before the next run of the cell (or now, on error). */
  allocation: Allocation;
}

type CellFunction = (
  scope: Record<string, unknown>,
  inputs: Record<string, unknown>,
) => Promise<{ value: unknown }>;

/** The id of the cell whose code threw `error`, from its stack (a timer or callback it started), or null. */
export function cellOfError(error: unknown): string | null {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return null;
  return /reslab-cell-(.+?)\.js:\d+:\d+/.exec(stack)?.[1] ?? null;
}

/** Finds the cell's own frame in a stack trace (`reslab-cell-<id>.js:line:column`, column 1-based). */
export function findCellFrame(stack: string, id: string): { line: number; column: number } | null {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`reslab-cell-${escaped}\\.js:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) - 1 } : null;
}

type Level = 'log' | 'info' | 'warn' | 'error' | 'debug';

/**
 * A console that writes under the cell (and to the browser's console): every method, with what a
 * browser does for each (table as a table, time/count/group/assert as lines). While the cell runs the
 * global `console` is this one too, so what TF.js prints (`t.print()`, `model.summary()`) lands here.
 */
function createConsole(output: HTMLElement, browserConsole: Console = console): Console {
  // The browser's methods as they are now, before the global console is swapped for this one.
  const original = { ...browserConsole } as Console;
  let depth = 0;
  const timers = new Map<string, number>();
  const counts = new Map<string, number>();
  const line = (level: Level, args: unknown[]) => {
    original[level](...args);
    const element = document.createElement('div');
    element.className = `cell-log cell-log-${level}`;
    if (depth > 0) element.style.paddingLeft = `${depth * 1.25}em`;
    for (const [i, arg] of args.entries()) {
      if (i > 0) element.append(' ');
      element.append(typeof arg === 'string' ? arg : inspect(arg, false));
    }
    output.append(element);
  };
  const elapsed = (label: string) => {
    const start = timers.get(label);
    return start === undefined ? null : `${label}: ${(performance.now() - start).toFixed(1)} ms`;
  };
  const writer: Partial<Console> = {
    log: (...args) => line('log', args),
    info: (...args) => line('info', args),
    warn: (...args) => line('warn', args),
    error: (...args) => line('error', args),
    debug: (...args) => line('debug', args),
    trace: (...args) => line('log', ['Trace:', ...args]),
    dir: (value) => line('log', [value]),
    dirxml: (...args) => line('log', args),
    // Shown under the cell only: a console's own table may print through the (captured) global console.
    table(data: unknown) {
      const rows = data && typeof data === 'object' ? Object.entries(data as object) : [];
      const columns = [
        ...new Set(
          rows.flatMap(([, row]) => (row && typeof row === 'object' ? Object.keys(row) : ['Values'])),
        ),
      ];
      const cell = (value: unknown) =>
        typeof value === 'string' ? value : (inspect(value, false).textContent ?? '');
      if (rows.length === 0) return line('log', [data]);
      output.append(
        table(
          'console.table',
          ['(index)', ...columns],
          rows.map(([key, row]) => [
            key,
            ...columns.map((c) =>
              row && typeof row === 'object'
                ? cell((row as Record<string, unknown>)[c] ?? '')
                : c === 'Values'
                  ? cell(row)
                  : '',
            ),
          ]),
        ),
      );
    },
    time: (label = 'default') => void timers.set(label, performance.now()),
    timeLog: (label = 'default', ...args) =>
      line('log', [elapsed(label) ?? `Timer "${label}" does not exist`, ...args]),
    timeEnd(label = 'default') {
      line('log', [elapsed(label) ?? `Timer "${label}" does not exist`]);
      timers.delete(label);
    },
    count(label = 'default') {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      line('log', [`${label}: ${n}`]);
    },
    countReset: (label = 'default') => void counts.delete(label),
    group(...args) {
      if (args.length > 0) line('log', args);
      depth++;
    },
    groupCollapsed(...args) {
      if (args.length > 0) line('log', args);
      depth++;
    },
    groupEnd: () => void (depth = Math.max(0, depth - 1)),
    assert(condition, ...args) {
      if (!condition) line('error', ['Assertion failed:', ...(args.length ? args : ['console.assert'])]);
    },
    clear: () => output.replaceChildren(),
  };
  // Anything else a console has (profile, timeStamp…) goes to the browser's console only.
  return new Proxy(writer as Console, {
    get: (target, name) =>
      name in target
        ? target[name as keyof Console]
        : (original as unknown as Record<PropertyKey, unknown>)[name],
  });
}

/** Swaps the global console's methods for `replacement`'s while a cell runs; returns the undo. */
function captureGlobalConsole(replacement: Console): () => void {
  const global = globalThis.console as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of Object.keys(global)) {
    if (typeof global[name] !== 'function') continue;
    saved.set(name, global[name]);
    global[name] = (replacement as unknown as Record<string, unknown>)[name];
  }
  return () => {
    for (const [name, method] of saved) global[name] = method;
  };
}

/** A thrown value as an Error: itself, or one that shows what was thrown (`throw { code: 42 }`). */
export function toError(value: unknown): Error {
  return value instanceof Error
    ? value
    : new Error(`Uncaught ${describeThrown(value)} (thrown, not an Error)`);
}

/** How a thrown value reads when it is not an Error. */
function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // cyclic: fall through
  }
  return String(value);
}

/** How long a stopped cell's views get to finish before its tensors are freed. */
const stopGraceMs = 5000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason ?? new DOMException('Stopped by the reader.', 'AbortError'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Runs one cell: compiles it against what is in scope, calls it with its inputs (prelude names,
 * notebook variables, and per-run `display`, `console`, `signal`, `budget`), writes its outputs to the
 * scope, shows its value and logs, or its error with the position in the reader's TypeScript.
 */
export async function executeCell(options: ExecuteOptions): Promise<ExecuteResult> {
  const { id, source, output, prelude, scope, signal, budget } = options;
  const { tf, loadPlot } = prelude;
  const traceModel = prelude.lib.traceModel as TraceModel | undefined;
  // A model's Export button: the model as it is when clicked, stamped with this page, cell and build.
  const exportModel: ExportModel = (model) =>
    zipModel(prelude.lib, model, { source: describeSource(location.href, id), library: BUILD_LIBRARY });
  const context = {
    tf,
    lib: prelude.lib,
    loadPlot,
    traceModel,
    exportModel,
    ...(options.page ? { page: options.page } : {}),
  };
  const pending: Promise<void>[] = [];
  const cellConsole = createConsole(output, console);
  const perRun = new Map<string, unknown>([
    ['display', createDisplay(output, context, pending)],
    ['console', cellConsole],
    ['signal', signal],
    ['budget', budget],
  ]);
  // A model too large to train gets a warning with the estimate where training starts, at the batch size
  // the reader asked for (building or showing a model is no alarm: lesson 3 shows ResNet-152).
  const warnIfTooLarge = (model: unknown, batchSize: number) => {
    const warning =
      model instanceof tf.LayersModel && prelude.lib.checkTrainingMemory(model as ModelLike, batchSize);
    if (warning) output.append(renderWarning(warning));
  };
  const train = prelude.values.get('train') as ((...args: unknown[]) => unknown) | undefined;
  if (train)
    perRun.set('train', (model: unknown, data: unknown, trainOptions?: { batchSize?: number }) => {
      warnIfTooLarge(model, trainOptions?.batchSize ?? budget.batchSize);
      return train(model, data, trainOptions);
    });
  const lookup = (name: string) => (perRun.has(name) ? perRun.get(name) : prelude.values.get(name));
  const provided = new Set([...perRun.keys(), ...prelude.values.keys(), ...prelude.lazyValues.keys()]);
  const elsewhere = options.declaredElsewhere ?? new Map<string, string>();
  const fail = (error: CellSyntaxError): ExecuteResult => {
    output.append(renderError(error, source, error.position));
    return { ok: false, errorPosition: error.position, allocation: { tensors: [], variables: [] } };
  };

  let compiled: CompiledCell;
  try {
    compiled = transpileCell(source, {
      provided,
      notebook: new Set([...elsewhere.keys(), ...scope.names()]),
      isGlobal: (name) => name in globalThis,
      name: `cell_${id}`,
    });
  } catch (error) {
    if (!(error instanceof CellSyntaxError)) throw error;
    return fail(error);
  }
  // A name belongs to one cell: declaring a name the notebook provides, or one another cell declares, is
  // an error before anything runs.
  for (const { name, position } of compiled.declarationSites) {
    if (provided.has(name))
      return fail(
        new CellSyntaxError(
          `${name} is already provided by the notebook (${perRun.has(name) ? 'given to every run' : 'part of the prelude'}); choose another name`,
          position,
        ),
      );
    const other = elsewhere.get(name);
    if (other !== undefined)
      return fail(
        new CellSyntaxError(
          `${name} is already declared by cell “${other}”: a name belongs to one cell. Rename it here, or assign it without let/const (${name} = …) to change that cell's variable`,
          position,
        ),
      );
  }
  scope.claim(id, compiled.declarations, compiled.constants);

  // TF.js errors are thrown many frames below the cell; V8 keeps 10 by default, which loses the cell's line.
  const limits = Error as { stackTraceLimit?: number };
  limits.stackTraceLimit = Math.max(limits.stackTraceLimit ?? 10, 100);
  const end = trackAllocations(tf);
  const restoreConsole = captureGlobalConsole(cellConsole);
  const stopGuard = startLoopGuard(signal, options.loopLimitMs ?? 8000);
  try {
    // Indirect eval in the global scope, named so stack traces point at this cell's lines.
    // Prelude names that load on first use (Plot) are loaded before a cell that reads one runs.
    for (const name of compiled.inputs) {
      const load = prelude.lazyValues.get(name);
      if (load && !prelude.values.has(name)) prelude.values.set(name, await load());
    }
    if (compiled.inputs.includes('Plot'))
      perRun.set('Plot', sizedPlot(prelude.values.get('Plot') as typeof PlotModule, output));
    const cell = (0, eval)(`${compiled.code}\n//# sourceURL=reslab-cell-${id}.js`) as CellFunction;
    const inputs = Object.fromEntries(compiled.inputs.map((name) => [name, lookup(name)]));
    if (compiled.hasLoops) inputs[LOOP_GUARD] = loopGuard;
    const { value } = await Promise.race([cell(scope.view(id), inputs), aborted(signal)]);
    if (value !== undefined) pending.push(displayValue(value, output, context));
    await Promise.race([Promise.all(pending), aborted(signal)]);
    return { ok: true, errorPosition: null, allocation: end() };
  } catch (caught) {
    // Stopped: let the views still consuming a run (a training view: train() checks the signal every
    // step) see it end before the caller frees the run's tensors, so no step runs on disposed weights.
    // Bounded, for code that ignores the signal.
    if (signal.aborted) await Promise.race([Promise.allSettled(pending), delay(stopGraceMs)]);
    const error = toError(caught);
    // V8 writes the expression that failed ("__nb.model.fit is not a function"); the reader wrote
    // `model.fit`. (A DOMException's message cannot be set, and never holds the scope's name.)
    if (error.message.includes(`${SCOPE_NAME}.`))
      error.message = error.message.replaceAll(`${SCOPE_NAME}.`, '');
    if (error instanceof ReferenceError && options.findDeclaration)
      error.message = explainUndefined(error.message, options.findDeclaration);
    // Stopped by the reader is not an error: what the cell showed so far stays, with a note.
    if (signal.aborted && error.name === 'AbortError') {
      output.append(
        Object.assign(document.createElement('p'), {
          className: 'cell-notice cell-stopped',
          textContent: 'Stopped by the reader; what the cell showed until then is kept above.',
        }),
      );
      return { ok: false, errorPosition: null, allocation: end() };
    }
    const frame = error.stack ? findCellFrame(error.stack, id) : null;
    const position = frame ? compiled.toSource(frame) : null;
    output.append(renderError(error, source, position));
    return { ok: false, errorPosition: position, allocation: end() };
  } finally {
    stopGuard();
    restoreConsole();
  }
}
