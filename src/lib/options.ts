import { z } from 'zod';

/*
 * Validation shared by every option boundary of the library (models, data, training): errors read
 * `invalid <thing>: <value> (expected …)`, saying what was received and what is allowed.
 */

/**
 * Parses options with a zod schema and throws `invalid <thing>: <value> (expected …)` on the first
 * problem, so readers see what they passed and what is allowed.
 */
export function parseOptions<T extends z.ZodType>(schema: T, value: unknown, thing: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    throw new Error(`invalid ${thing}: ${JSON.stringify(issue.keys[0])} (expected one of ${allowed})`);
  }
  const path = issue.path.map(String).join('.');
  const received = issue.path.reduce<unknown>(
    (at, key) =>
      at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined,
    value,
  );
  throw new Error(`invalid ${path || thing}: ${formatValue(received)} (expected ${issue.message})`);
}

/** Formats a received value for an error message, keeping long arrays and objects short. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A positive integer, e.g. a number of classes or channels. */
export const positiveInt = z
  .number({ error: 'a positive integer' })
  .int({ error: 'a positive integer' })
  .positive({ error: 'a positive integer' });

/** A non-negative integer seed (weights, data order, splits). */
export const seedSchema = z
  .number({ error: 'a non-negative integer' })
  .int({ error: 'a non-negative integer' })
  .nonnegative({ error: 'a non-negative integer' });

/** A string enumeration whose error message lists every allowed value. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}
