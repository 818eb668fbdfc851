/** One mapping segment on a generated line: generated column → original column (same line number). */
interface Segment {
  generatedColumn: number;
  originalColumn: number;
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = base64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Decodes the `mappings` of a sucrase source map into per-line column segments. Sucrase keeps every
 * line where it was, so only columns need mapping.
 */
export function decodeLineMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let originalColumn = 0;
  for (const line of mappings.split(';')) {
    const segments: Segment[] = [];
    let generatedColumn = 0;
    for (const field of line.split(',')) {
      if (field === '') continue;
      const [dGenerated, , , dOriginal] = decodeVlq(field);
      generatedColumn += dGenerated;
      if (dOriginal !== undefined) {
        originalColumn += dOriginal;
        segments.push({ generatedColumn, originalColumn });
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Maps a 0-based column on a 1-based line of the generated code back to the original column. */
export function mapColumn(lines: Segment[][], line: number, column: number): number {
  const segments = lines[line - 1] ?? [];
  let best: Segment | undefined;
  for (const segment of segments) {
    if (segment.generatedColumn <= column) best = segment;
    else break;
  }
  return best ? best.originalColumn + (column - best.generatedColumn) : column;
}
