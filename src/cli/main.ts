import { buildModel, listModels } from '../lib/models/registry.ts';
import { traceModel } from '../lib/trace.ts';
import { formatTrace, renderTable } from './format.ts';
import { MODEL_OPTIONS, parseModelOptions, parseOptions, UsageError } from './args.ts';

/** Where the CLI writes; tests pass fakes. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
};

const USAGE = `usage:
  reslab list [--json]
  reslab data prepare [--source DIR] [--out DIR] [--if-missing] [--full]
  reslab experiment list
  reslab experiment run <name> [--budget B] [--seeds 0,1,2] [--out FILE] [--data DIR]
  reslab trace <model> [--input H,W,C] [--classes N] [--width W] [--seed S]
               [--variant key=value[,key=value]] [--shapes tf|torch] [--layers] [--json]
  reslab export pytorch <model> --out DIR [architecture options as trace] [--weights] [--weights-from FILE]
  reslab export pytorch --experiment <name> --out DIR [--budget B]`;

const TRACE_OPTIONS = {
  ...MODEL_OPTIONS,
  shapes: { type: 'string' },
  layers: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the `reslab` command line and returns its exit code (0 ok, 1 bad input, 2 usage). */
export function runCli(argv: readonly string[], io: CliIo = defaultIo): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'list') return list(rest, io);
    if (command === 'trace') return trace(rest, io);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    io.stderr(
      `invalid command: ${JSON.stringify(command)} (expected one of list, trace, data, experiment, export)\n${USAGE}`,
    );
    return 2;
  } catch (error) {
    io.stderr(error instanceof Error ? error.message : String(error));
    return error instanceof UsageError ? 2 : 1;
  }
}

function list(args: readonly string[], io: CliIo): number {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  const models = listModels();
  if (values.json) {
    io.stdout(JSON.stringify(models, null, 2));
    return 0;
  }
  const rows = models.map((m) => [
    m.name,
    m.inputShape.join(','),
    String(m.classes),
    Object.keys(m.variants).join(', ') || '-',
    m.description,
  ]);
  io.stdout(renderTable(['model', 'input', 'classes', 'variants', 'description'], rows, [0, 3, 4]));
  io.stdout(
    '\nvariant values: reslab trace <model> --variant <key>=<value>; a bad value lists the allowed ones.',
  );
  return 0;
}

function trace(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOptions(args, TRACE_OPTIONS, true);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) {
    const models = listModels().map((m) => m.name);
    throw new Error(
      `invalid model: ${JSON.stringify(positionals.join(' ') || undefined)} (expected one of ${models.join(', ')})`,
    );
  }
  const shapes = values.shapes ?? 'tf';
  if (shapes !== 'tf' && shapes !== 'torch') {
    throw new Error(`invalid --shapes: ${JSON.stringify(shapes)} (expected one of tf, torch)`);
  }
  const options = parseModelOptions(name, values);
  const variants = options.variants ?? {};
  const model = buildModel(name, options);
  try {
    const result = traceModel(model);
    if (values.json) {
      const { model: _tfName, ...rest } = result;
      io.stdout(JSON.stringify({ model: name, variants, ...rest }, null, 2));
    } else {
      io.stdout(formatTrace(result, name, shapes, values.layers ?? false));
    }
  } finally {
    model.dispose();
  }
  return 0;
}
