/** A replacement of `text.slice(start, end)`; never spans a line break, so lines keep their numbers. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Text after {@link applyEdits}, with a map from its columns back to the original's. */
export interface EditedText {
  text: string;
  /** Maps a 0-based column on a 1-based line of the edited text to the original column (same line). */
  toOriginal(line: number, column: number): number;
}

interface Span {
  /** Where the edit starts, in the edited line and in the original line. */
  edited: number;
  original: number;
  editedLength: number;
  originalLength: number;
}

/**
 * Applies edits to `text` (they may touch but not overlap; insertions at one position keep their
 * order). A column inside replaced text maps to the start of what it replaced.
 */
export function applyEdits(text: string, edits: readonly Edit[]): EditedText {
  const sorted = edits
    .map((edit, order) => ({ ...edit, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line;
  };
  const spans = new Map<number, Span[]>();
  let out = '';
  let position = 0;
  let shift = 0; // edited column − original column, on the current line
  let currentLine = 0;
  for (const edit of sorted) {
    if (edit.start < position) throw new Error(`overlapping edits at ${edit.start}`);
    if (/\n/.test(text.slice(edit.start, edit.end)) || edit.text.includes('\n'))
      throw new Error(`an edit spans a line break at ${edit.start}`);
    const line = lineOf(edit.start);
    if (line !== currentLine) {
      currentLine = line;
      shift = 0;
    }
    out += text.slice(position, edit.start);
    const original = edit.start - lineStarts[line];
    const list = spans.get(line + 1) ?? [];
    list.push({
      edited: original + shift,
      original,
      editedLength: edit.text.length,
      originalLength: edit.end - edit.start,
    });
    spans.set(line + 1, list);
    out += edit.text;
    shift += edit.text.length - (edit.end - edit.start);
    position = edit.end;
  }
  out += text.slice(position);
  return {
    text: out,
    toOriginal(line, column) {
      let delta = 0;
      for (const span of spans.get(line) ?? []) {
        if (column < span.edited) break;
        if (column < span.edited + span.editedLength) return span.original;
        delta = span.edited + span.editedLength - (span.original + span.originalLength);
      }
      return column - delta;
    },
  };
}
