import { formatShape as formatShapeAs } from '../../lib/format.ts';

/** Creates an element with a class and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child != null) element.append(child);
  return element;
}

/** Formats a number for people: integers with separators, others with 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** Formats a byte count (B, KB, MB, GB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Formats a shape as a cell writes it, `[1, 28, 28, 1]` (null dimensions as `batch`): the library's formatter. */
export const formatShape = (shape: readonly (number | null)[]) => formatShapeAs(shape, { brackets: true });

/** Builds a table with a caption, a header row and body rows. */
export function table(
  caption: string,
  head: string[],
  rows: (string | Node)[][],
  numeric: boolean[] = [],
): HTMLTableElement {
  return h(
    'table',
    { class: 'cell-table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h('tr', {}, ...row.map((cell, i) => h('td', numeric[i] ? { class: 'num' } : {}, cell))),
      ),
    ),
  );
}
