import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initBackend, type BackendChoice } from '../lib/backend.ts';
import {
  checkResultsDefinition,
  EXPERIMENT_BUDGET_NAMES,
  EXPERIMENT_NAMES,
  experimentResultsToJSON,
  getExperiment,
  loadExperimentData,
  parseExperimentResults,
  runExperiment,
  toExperimentBudgetName,
  type AnyExperiment,
  type ExperimentBudgetName,
  type ExperimentProgress,
  type ExperimentResults,
  type RunEnvironment,
} from '../lib/experiments/index.ts';
import { renderTable } from './format.ts';
import { readLibraryVersion } from './libraryVersion.ts';
import { formatPercent } from '../lib/format.ts';
import { parseOptions, UsageError, type OptionSpec } from './args.ts';

const USAGE = `usage:
  reslab experiment list
  reslab experiment describe <name> [--budget B]
  reslab experiment run <name> [--budget B] [--seeds 0,1,2] [--out FILE] [--data DIR]

  list       prints one experiment name per line
  describe   prints what determines the results at a budget, and its definition hash (JSON)
  run        trains every variant at every seed on the wasm backend, saving each finished run to FILE
             at once; run it again to resume (Ctrl-C loses at most the run in progress)
  --budget   ${EXPERIMENT_BUDGET_NAMES.join(', ')} (default reference, the committed results)
  --seeds    comma-separated seeds (default: the experiment's, 0,1,2)
  --out      results file (default content/results/<name>.json at reference,
             test-results/experiments/<name>.<budget>.json otherwise)
  --data     folder of the Fashion-MNIST shards (default public/data/fashion-mnist, see reslab data prepare)`;

/** What `reslab experiment` touches: output, signals, the clock of progress redraws (tests pass fakes). */
export interface ExperimentCommandEffects {
  /** Writes a line to stdout. */
  stdout?: (line: string) => void;
  /** Writes text to stderr as given (progress redraws need no newline). */
  stderr?: (text: string) => void;
  /** Whether stderr is a terminal: a redrawn progress line, else one line per epoch. Default `process.stderr.isTTY`. */
  isTTY?: boolean;
  /** Terminal width. Default `process.stderr.columns` or 100. */
  columns?: number;
  /** Stops the run like Ctrl-C does (tests). */
  signal?: AbortSignal;
  /** Installs a Ctrl-C handler and returns how to remove it. Default: `process.on('SIGINT')`. */
  onSigint?: (handler: () => void) => () => void;
  /** Called after each finished run is written. */
  onRunSaved?: (file: string, results: ExperimentResults) => void;
  /** Folder relative paths are read from. Default `process.cwd()`. */
  cwd?: string;
  /** Provenance of the runs. Default: read from this machine, this checkout and the backend. */
  environment?: (backend: BackendChoice) => RunEnvironment;
}

/** Runs `reslab experiment <command> …` (argv after `experiment`) and returns the exit code (0, 1 failure, 2 usage, 130 interrupted). */
export async function runExperimentCommand(
  argv: readonly string[],
  effects: ExperimentCommandEffects = {},
): Promise<number> {
  const stdout = effects.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = effects.stderr ?? ((text: string) => process.stderr.write(text));
  const [command, ...rest] = argv;
  try {
    if (command === 'list') {
      parseExperimentOptions(rest, {}, 0);
      for (const name of EXPERIMENT_NAMES) stdout(name);
      return 0;
    }
    if (command === 'describe') return await describe(rest, stdout);
    if (command === 'run') return await run(rest, { ...effects, stdout, stderr });
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      (command === undefined ? (t: string) => stderr(`${t}\n`) : stdout)(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(
      `invalid experiment command: ${JSON.stringify(command)} (expected one of list, describe, run)`,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      stderr(`${message}\n(reslab experiment --help lists the commands and options)\n`);
      return 2;
    }
    stderr(`reslab experiment ${command}: ${message}\n`);
    return 1;
  }
}

async function describe(args: readonly string[], stdout: (line: string) => void): Promise<number> {
  const { values, experiment } = parseExperimentOptions(args, { budget: { type: 'string' } }, 1);
  const budget = parseBudget(values.budget);
  const hash = await experiment!.definitionHash(budget);
  stdout(JSON.stringify({ definitionHash: hash, ...experiment!.describe(budget) }, null, 2));
  return 0;
}

const RUN_OPTIONS = {
  budget: { type: 'string' },
  seeds: { type: 'string' },
  out: { type: 'string' },
  data: { type: 'string' },
} as const;

async function run(
  args: readonly string[],
  effects: ExperimentCommandEffects & { stdout: (line: string) => void; stderr: (text: string) => void },
): Promise<number> {
  const { stdout, stderr } = effects;
  const { values, experiment: parsed } = parseExperimentOptions(args, RUN_OPTIONS, 1);
  const experiment = parsed!;
  const budget = parseBudget(values.budget);
  const seeds = values.seeds === undefined ? [...experiment.seeds] : parseSeeds(values.seeds);
  const cwd = effects.cwd ?? process.cwd();
  const outPath = resolve(cwd, values.out ?? defaultOut(experiment.name, budget));
  const out = shortPath(cwd, outPath);
  const dataDir = resolve(cwd, values.data ?? 'public/data/fashion-mnist');
  const resume =
    `reslab experiment run ${experiment.name} --budget ${budget} --seeds ${seeds.join(',')} --out ${out}` +
    (values.data === undefined ? '' : ` --data ${values.data}`);

  let existing: ExperimentResults | null = null;
  if (existsSync(outPath)) {
    existing = parseExperimentResults(readFileSync(outPath, 'utf8'), out);
    await checkResultsDefinition(experiment, budget, existing, out);
  }
  const variants = experiment.variantSpecs(budget).map((v) => v.name);
  const planned = seeds.length * variants.length;
  const isDone = (seed: number, variant: string) =>
    existing?.runs.some((r) => r.seed === seed && r.variant === variant) ?? false;
  const already = seeds.flatMap((s) => variants.filter((v) => isDone(s, v))).length;
  if (already === planned) {
    stdout(
      `${out} already has all ${planned} runs of ${experiment.name} at budget ${budget}; nothing to do.`,
    );
    return 0;
  }
  if (!existsSync(join(dataDir, 'manifest.json'))) {
    throw new Error(
      `no Fashion-MNIST shards in ${shortPath(cwd, dataDir)} (run \`reslab data prepare${experiment.budget(budget).subset === 'full' ? ' --full' : ''}\` first, or pass --data DIR)`,
    );
  }

  const backend = await initBackend({ preference: 'wasm' });
  if (backend.name !== 'wasm') throw new Error(`the wasm backend could not start (${backend.reason})`);
  const environment = (effects.environment ?? readEnvironment)(backend);
  const { data } = await loadExperimentData(experiment, budget, {
    baseUrl: `${pathToFileURL(dataDir).href}/`,
    fetch: readFileFetch,
  });

  const controller = new AbortController();
  const external = effects.signal;
  if (external?.aborted) controller.abort();
  external?.addEventListener('abort', () => controller.abort(), { once: true });
  const view = createProgressView(stderr, effects.isTTY ?? process.stderr.isTTY === true, effects.columns);
  let interrupts = 0;
  const removeSigint = (effects.onSigint ?? installSigint)(() => {
    interrupts++;
    if (interrupts > 1) process.exit(130); // finished runs are already on disk
    view.message(
      'stopping: the run in progress is dropped, finished runs are kept (Ctrl-C again to quit now)',
    );
    controller.abort();
  });
  view.message(
    `${experiment.name} at budget ${budget}: ${planned} runs (${variants.length} variants × seeds ${seeds.join(',')}), ` +
      `${already} already in ${out}; wasm (${backend.wasm?.simd ? 'SIMD' : 'no SIMD'}, ${backend.wasm?.threads ?? 1} thread)`,
  );
  try {
    const outcome = await runExperiment(experiment, {
      budget,
      seeds,
      data,
      environment,
      results: existing,
      signal: controller.signal,
      onProgress: (progress) => view.update(progress),
      onRunFinished: (results) => {
        writeAtomically(outPath, experimentResultsToJSON(results));
        effects.onRunSaved?.(outPath, results);
      },
    });
    view.end();
    const mine = outcome.results.runs.filter((r) => seeds.includes(r.seed));
    if (outcome.status === 'interrupted') {
      const saved =
        mine.length > 0
          ? `${mine.length} of ${planned} runs are saved in ${out}`
          : 'no run had finished, nothing was saved';
      stderr(`interrupted: ${saved} (the run in progress was dropped). Resume with:\n  ${resume}\n`);
      return 130;
    }
    stdout(summarise(outcome.results, seeds, variants));
    stdout(`wrote ${out} (${outcome.trained} runs trained now, ${outcome.skipped} kept from before)`);
    return 0;
  } finally {
    removeSigint();
    data.dispose();
  }
}

function parseExperimentOptions<O extends OptionSpec>(
  args: readonly string[],
  options: O,
  positionals: 0 | 1,
) {
  const parsed = parseOptions(args, options, positionals > 0);
  let experiment: AnyExperiment | undefined;
  if (positionals > 0) {
    const names = parsed.positionals;
    if (names.length !== 1) {
      throw new UsageError(
        `invalid experiment: ${JSON.stringify(names.join(' ') || undefined)} (expected one of ${EXPERIMENT_NAMES.join(', ')})`,
      );
    }
    try {
      experiment = getExperiment(names[0]);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return { values: parsed.values, experiment };
}

function parseBudget(text: string | undefined): ExperimentBudgetName {
  if (text === undefined) return 'reference';
  try {
    return toExperimentBudgetName(text);
  } catch {
    throw new UsageError(
      `invalid --budget: ${JSON.stringify(text)} (expected one of ${EXPERIMENT_BUDGET_NAMES.join(', ')})`,
    );
  }
}

function parseSeeds(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const seeds = parts.map(Number);
  const bad = parts.find((p, i) => !/^\d+$/.test(p) || seeds[i] > 2 ** 31 - 1);
  if (bad !== undefined) {
    throw new UsageError(
      `invalid --seeds: ${JSON.stringify(text)} (expected comma-separated non-negative integers, e.g. 0,1,2)`,
    );
  }
  const twice = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (twice !== undefined)
    throw new UsageError(`invalid --seeds: ${JSON.stringify(text)} (seed ${twice} twice)`);
  return seeds;
}

// Relative to the working folder when inside it, else absolute.
function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function defaultOut(name: string, budget: ExperimentBudgetName): string {
  return budget === 'reference'
    ? `content/results/${name}.json`
    : `test-results/experiments/${name}.${budget}.json`;
}

/** A fetch that reads `file:` URLs (Node's fetch does not); the loader only needs the body and the status. */
export const readFileFetch = (async (input: string | URL | Request) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new Response(new Uint8Array(readFileSync(fileURLToPath(url))));
  } catch {
    return new Response('not found', { status: 404, statusText: 'Not Found' });
  }
}) as typeof fetch;

function installSigint(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Reads the provenance of runs on this machine: package version, git commit, backend, CPU, Node. */
export function readEnvironment(backend: BackendChoice): RunEnvironment {
  return {
    library: readLibraryVersion(),
    backend: {
      name: backend.name,
      ...(backend.wasm ? { simd: backend.wasm.simd } : {}),
      threads: backend.wasm?.threads ?? 1,
    },
    cpu: { model: cpus()[0]?.model.trim() || 'unknown', cores: availableParallelism() },
    runtime: `node ${process.version}`,
  };
}

/** Formats milliseconds as `1h 02m`, `4m 05s` or `12s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m` : m > 0 ? `${m}m ${pad(sec)}s` : `${sec}s`;
}

const percent = (x: number) => formatPercent(x, 'n/a');

/** Formats one progress line: run i/N (variant, seed), epoch e/E, a bar, images/s and ETA. */
export function formatProgress(p: ExperimentProgress, barWidth = 16): string {
  const filled = Math.round((barWidth * p.step) / Math.max(1, p.totalSteps));
  const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
  return (
    `run ${p.run}/${p.runs} ${p.variant} seed ${p.seed} · epoch ${p.epoch}/${p.epochs} ${bar} ` +
    `${p.step}/${p.totalSteps} · ${p.imagesPerSecond.toFixed(0)} img/s · ETA ${formatDuration(p.etaMs)}`
  );
}

/**
 * Shows progress on stderr. On a terminal one line is redrawn in place (at most ten times a second) and
 * each finished run leaves a line; elsewhere (CI, a log file) each run start, epoch and save is a line.
 */
function createProgressView(write: (text: string) => void, isTTY: boolean, columns?: number) {
  let drawn = false;
  let lastDraw = 0;
  const width = () => Math.max(40, (columns ?? process.stderr.columns ?? 100) - 1);
  const clear = () => {
    if (drawn) write('\r\x1b[K');
    drawn = false;
  };
  const line = (text: string) => {
    clear();
    write(`${text}\n`);
  };
  const who = (p: ExperimentProgress) => `run ${p.run}/${p.runs} ${p.variant} seed ${p.seed}`;
  return {
    message: line,
    update(p: ExperimentProgress) {
      if (p.kind === 'saved') {
        const r = p.result!;
        const status = r.status === 'diverged' ? 'diverged' : `test error ${percent(r.final.testError)}`;
        line(
          `${who(p)}: saved, ${status}, ${formatDuration(r.provenance.wallTimeMs)} · ETA ${formatDuration(p.etaMs)}`,
        );
        return;
      }
      if (isTTY) {
        const time = performance.now();
        if (p.kind === 'step' && time - lastDraw < 100) return;
        lastDraw = time;
        write(`\r\x1b[K${formatProgress(p).slice(0, width())}`);
        drawn = true;
      } else if (p.kind === 'start') {
        line(`${who(p)}: started`);
      } else if (p.kind === 'epoch') {
        const e = p.record!;
        const test = e.testAccuracy === undefined ? '' : ` · test error ${percent(1 - e.testAccuracy)}`;
        line(
          `${who(p)} · epoch ${p.epoch}/${p.epochs} · train loss ${e.trainLoss.toFixed(3)}${test} · ` +
            `${p.imagesPerSecond.toFixed(0)} img/s · ETA ${formatDuration(p.etaMs)}`,
        );
      }
    },
    end: clear,
  };
}

// Mean final test error by variant over the seeds run, with the spread.
function summarise(
  results: ExperimentResults,
  seeds: readonly number[],
  variants: readonly string[],
): string {
  const rows = variants.map((variant) => {
    const runs = results.runs.filter((r) => r.variant === variant && seeds.includes(r.seed));
    const errors = runs.map((r) => r.final.testError).filter(Number.isFinite);
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const spread = errors.length > 1 ? `${percent(Math.min(...errors))}–${percent(Math.max(...errors))}` : '';
    const failed = runs.length - errors.length;
    return [
      variant,
      String(runs.length),
      errors.length ? percent(mean) : 'n/a',
      spread,
      failed ? `${failed} diverged` : '',
    ];
  });
  return renderTable(['variant', 'runs', 'test error', 'range', ''], rows, [0]);
}
