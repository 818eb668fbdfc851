// The one argument parser of the `reslab` commands: node:util's parseArgs in strict mode, with one
// message shape for every command ("invalid option: … (expected --a, --b)") and the value parsers
// they share.
import { parseArgs } from 'node:util';
import { parseVariants, type BuildModelOptions } from '../lib/models/registry.ts';

/** A bad command line: the commands print its message with their usage and exit with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

type Values<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'string'
    ? O[K]['multiple'] extends true
      ? string[]
      : string
    : boolean;
};

/** Parses `args` strictly: an unknown option, or a positional where none is allowed, is a UsageError. */
export function parseOptions<O extends OptionSpec>(
  args: readonly string[],
  options: O,
  allowPositionals = false,
): { values: Values<O>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true });
    return { values: parsed.values as Values<O>, positionals: parsed.positionals };
  } catch (error) {
    const allowed = Object.keys(options).map((k) => `--${k}`);
    const message = (error as Error).message.split('.')[0];
    throw new UsageError(
      `invalid option: ${message} (expected ${allowed.length > 0 ? allowed.join(', ') : 'no options'})`,
      { cause: error },
    );
  }
}

/** `--input H,W,C`: three positive integers. */
export function parseShape(text: string, option = 'input'): [number, number, number] {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p <= 0)) {
    throw new UsageError(
      `invalid --${option}: ${JSON.stringify(text)} (expected H,W,C of positive integers, e.g. 224,224,3)`,
    );
  }
  return parts as [number, number, number];
}

/** A finite number given to `--option`. */
export function parseNumber(text: string, option: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`invalid --${option}: ${JSON.stringify(text)} (expected a number)`);
  }
  return n;
}

/** The architecture options `reslab trace` and `reslab export pytorch` share. */
export const MODEL_OPTIONS = {
  input: { type: 'string' },
  classes: { type: 'string' },
  width: { type: 'string' },
  seed: { type: 'string' },
  variant: { type: 'string', multiple: true },
} as const;

/** Reads the architecture options of a registered model; only those given appear in the result. */
export function parseModelOptions(
  name: string,
  values: { input?: string; classes?: string; width?: string; seed?: string; variant?: string[] },
): BuildModelOptions {
  const variants = parseVariants(name, values.variant ?? []);
  return {
    ...(values.input !== undefined ? { inputShape: parseShape(values.input) } : {}),
    ...(values.classes !== undefined ? { classes: parseNumber(values.classes, 'classes') } : {}),
    ...(values.width !== undefined ? { width: parseNumber(values.width, 'width') } : {}),
    ...(values.seed !== undefined ? { seed: parseNumber(values.seed, 'seed') } : {}),
    ...(Object.keys(variants).length ? { variants } : {}),
  };
}
