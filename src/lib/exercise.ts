import { formatValue } from './options.ts';

/** The verdict on a reader's answer to an exercise. */
export interface CheckResult {
  correct: boolean;
  /** One line for the reader: "✓ …" when right, "✗ … expected …, got …" (plus the hint) when not. */
  message: string;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Checks a reader's answer (a number, a shape, any JSON value) against the expected one and says right or
 * wrong in one line; exercise cells end with it so the reader sees the verdict under the cell.
 */
export function checkAnswer(
  question: string,
  actual: unknown,
  expected: unknown,
  hint?: string,
): CheckResult {
  if (sameValue(actual, expected)) {
    return { correct: true, message: `✓ ${question}: ${formatValue(actual)}. Correct.` };
  }
  const more = hint ? ` Hint: ${hint}` : '';
  return {
    correct: false,
    message: `✗ ${question}: expected ${formatValue(expected)}, got ${formatValue(actual)}.${more}`,
  };
}
