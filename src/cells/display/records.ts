import { formatNumber, h, table } from './dom.ts';

type Primitive = string | number | boolean | null | undefined;
type Row = Record<string, Primitive>;

const isPrimitive = (value: unknown): value is Primitive =>
  value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value);

/**
 * True for what reads best as a table: a non-empty array (up to 500 rows) of plain objects whose values
 * are all numbers, strings, booleans or null, such as a list of results per variant.
 */
export function isRecordList(value: unknown): value is Row[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 500 &&
    value.every(
      (row) =>
        typeof row === 'object' &&
        row !== null &&
        Object.getPrototypeOf(row) === Object.prototype &&
        Object.values(row).every(isPrimitive),
    )
  );
}

/** Renders a list of records as a table: one column per key (in order of first appearance), numbers right-aligned. */
export function renderRecords(rows: Row[]): HTMLElement {
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const numeric = keys.map((key) => rows.every((row) => typeof row[key] === 'number' || row[key] == null));
  const cell = (value: Primitive) => (typeof value === 'number' ? formatNumber(value) : String(value ?? ''));
  return h(
    'div',
    { class: 'cell-records' },
    table(
      `${rows.length} row${rows.length === 1 ? '' : 's'}`,
      keys,
      rows.map((row) => keys.map((key) => cell(row[key]))),
      numeric,
    ),
  );
}
