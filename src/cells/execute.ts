import type { Budget } from './budget.ts';
import { createDisplay } from './display/api.ts';
import { displayValue } from './display/index.ts';
import { explainUndefined, renderError, renderWarning, type Declaration } from './display/error.ts';
import { inspect } from './display/inspector.ts';
import type { TraceModel } from './display/model.ts';
import { trackAllocations, type Allocation } from './hygiene.ts';
import { checkTrainingMemory, type ModelLike } from '../lib/memory.ts';
import { CellSyntaxError, type SourcePosition } from './parse.ts';
import type { Prelude } from './prelude.ts';
import type { NotebookScope } from './scope.ts';
import { SCOPE_NAME, transpileCell, type CompiledCell } from './transpile.ts';

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

/** Finds the cell's own frame in a stack trace (`reslab-cell-<id>.js:line:column`, column 1-based). */
export function findCellFrame(stack: string, id: string): { line: number; column: number } | null {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`reslab-cell-${escaped}\\.js:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) - 1 } : null;
}

function createConsole(output: HTMLElement): Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'> {
  const write =
    (level: 'log' | 'info' | 'warn' | 'error' | 'debug') =>
    (...args: unknown[]) => {
      console[level](...args);
      const line = document.createElement('div');
      line.className = `cell-log cell-log-${level}`;
      for (const [i, arg] of args.entries()) {
        if (i > 0) line.append(' ');
        line.append(typeof arg === 'string' ? arg : inspect(arg, false));
      }
      output.append(line);
    };
  return {
    log: write('log'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
  };
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
  const context = { tf, loadPlot, traceModel };
  const pending: Promise<void>[] = [];
  const perRun = new Map<string, unknown>([
    ['display', createDisplay(output, context, pending)],
    ['console', createConsole(output)],
    ['signal', signal],
    ['budget', budget],
  ]);
  // A model too large for the page's budget gets a warning with the estimate before it trains, and
  // when it is displayed (at the budget's batch size).
  const warnIfTooLarge = (model: unknown, batchSize: number) => {
    const warning = model instanceof tf.LayersModel && checkTrainingMemory(model as ModelLike, batchSize);
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
  try {
    // Indirect eval in the global scope, named so stack traces point at this cell's lines.
    // Prelude names that load on first use (Plot) are loaded before a cell that reads one runs.
    for (const name of compiled.inputs) {
      const load = prelude.lazyValues.get(name);
      if (load && !prelude.values.has(name)) prelude.values.set(name, await load());
    }
    const cell = (0, eval)(`${compiled.code}\n//# sourceURL=reslab-cell-${id}.js`) as CellFunction;
    const inputs = Object.fromEntries(compiled.inputs.map((name) => [name, lookup(name)]));
    const { value } = await Promise.race([cell(scope.view(id), inputs), aborted(signal)]);
    if (value instanceof tf.LayersModel) warnIfTooLarge(value, budget.batchSize);
    if (value !== undefined) pending.push(displayValue(value, output, context));
    await Promise.race([Promise.all(pending), aborted(signal)]);
    return { ok: true, errorPosition: null, allocation: end() };
  } catch (caught) {
    // Stopped: let the views still consuming a run (a training view: train() checks the signal every
    // step) see it end before the caller frees the run's tensors, so no step runs on disposed weights.
    // Bounded, for code that ignores the signal.
    if (signal.aborted) await Promise.race([Promise.allSettled(pending), delay(stopGraceMs)]);
    const error = caught instanceof Error ? caught : new Error(String(caught));
    // V8 writes the expression that failed ("__nb.model.fit is not a function"); the reader wrote
    // `model.fit`. (A DOMException's message cannot be set, and never holds the scope's name.)
    if (error.message.includes(`${SCOPE_NAME}.`))
      error.message = error.message.replaceAll(`${SCOPE_NAME}.`, '');
    if (error instanceof ReferenceError && options.findDeclaration)
      error.message = explainUndefined(error.message, options.findDeclaration);
    const frame = error.stack ? findCellFrame(error.stack, id) : null;
    const position = frame ? compiled.toSource(frame) : null;
    output.append(renderError(error, source, position));
    return { ok: false, errorPosition: position, allocation: end() };
  }
}
