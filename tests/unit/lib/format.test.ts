import { describe, expect, test } from 'vitest';
import { formatCount, formatMacs, formatPercent, formatShape } from '../../../src/lib/format.ts';

describe('the one set of formatters (CLI, pages and cell views)', () => {
  test('formatShape writes traces as 1×64×56×56 and cell views as the array a cell writes', () => {
    expect(formatShape([1, 64, 56, 56])).toBe('1×64×56×56');
    expect(formatShape([null, 28, 28, 1], { brackets: true })).toBe('[batch, 28, 28, 1]');
    expect(formatShape([null, 10])).toBe('batch×10');
    expect(formatShape([])).toBe('');
  });

  test('formatPercent has one decimal and a mark for a missing or non-finite value', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(undefined)).toBe('–');
    expect(formatPercent(Number.NaN, 'n/a')).toBe('n/a');
  });

  test('counts and multiply-adds', () => {
    expect(formatCount(25557032)).toBe('25,557,032');
    expect(formatMacs(4089184256)).toBe('4.09 G');
    expect(formatMacs(999)).toBe('999');
  });
});
