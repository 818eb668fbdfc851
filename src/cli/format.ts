import type { ModelTrace } from '../lib/trace.ts';
import { formatCount, formatMacs, formatShape } from '../lib/format.ts';

/** Which order the table prints shapes in. */
export type ShapeOrder = 'tf' | 'torch';

/** Renders rows as an aligned text table; columns listed in `leftAligned` (default: the first) pad right. */
export function renderTable(header: string[], rows: string[][], leftAligned: number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (leftAligned.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Renders a trace as a table of blocks (or of layers), followed by the totals. */
export function formatTrace(trace: ModelTrace, name: string, order: ShapeOrder, byLayer: boolean): string {
  const shapeOf = (tf: number[], torch: number[]) => formatShape(order === 'torch' ? torch : tf);
  const orderLabel = order === 'torch' ? 'N×C×H×W' : 'N×H×W×C';
  const header = byLayer
    ? ['layer', 'type', `output (${orderLabel})`, 'params', 'non-trainable', 'MACs']
    : ['block', 'layers', `output (${orderLabel})`, 'params', 'non-trainable', 'MACs'];
  const rows = byLayer
    ? trace.layers.map((l) => [
        l.name,
        l.type,
        shapeOf(l.outputShape, l.outputShapeTorch),
        formatCount(l.trainable),
        formatCount(l.nonTrainable),
        formatMacs(l.macs),
      ])
    : trace.blocks.map((b) => [
        b.name,
        String(b.layers.length),
        shapeOf(b.outputShape, b.outputShapeTorch),
        formatCount(b.trainable),
        formatCount(b.nonTrainable),
        formatMacs(b.macs),
      ]);
  const input = formatShape(order === 'torch' ? trace.inputTorch : trace.input);
  return [
    `${name}  input ${input} (${orderLabel})`,
    '',
    renderTable(header, rows, byLayer ? [0, 1] : [0]),
    '',
    `params: ${formatCount(trace.params.total)} total, ${formatCount(trace.params.trainable)} trainable, ${formatCount(trace.params.nonTrainable)} non-trainable`,
    `MACs (multiply-accumulates per sample): ${formatCount(trace.macs)} (${formatMacs(trace.macs)})`,
  ].join('\n');
}
