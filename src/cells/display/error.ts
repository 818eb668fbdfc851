import type { SourcePosition } from '../parse.ts';
import { h } from './dom.ts';

/** Renders an error: its name and message, and the line of the reader's code with a caret. */
export function renderError(
  error: { name: string; message: string },
  source: string,
  position: SourcePosition | null,
): HTMLElement {
  const view = h('div', { class: 'cell-error', role: 'alert' });
  const where = position ? ` (line ${position.line}, column ${position.column + 1})` : '';
  view.append(
    h('p', { class: 'cell-error-message' }, h('strong', {}, `${error.name}${where}: `), error.message),
  );
  const line = position ? source.split('\n')[position.line - 1] : undefined;
  if (position && line !== undefined) {
    const gutter = `${position.line} | `;
    view.append(
      h(
        'pre',
        { class: 'cell-error-excerpt' },
        `${gutter}${line}\n${' '.repeat(gutter.length + position.column)}^`,
      ),
    );
  }
  return view;
}

/** Where a notebook variable is declared, as the runtime sees it: the cell and whether it is below. */
export interface Declaration {
  cellId: string;
  /** True when the declaring cell comes after the cell that reads the name. */
  isLater: boolean;
}

/**
 * Explains a "<name> is not defined" ReferenceError with what the notebook knows about the name (no
 * cell declares it; only a later cell does; the earlier cell that does has not run successfully), or
 * returns the message unchanged for any other error.
 */
export function explainUndefined(
  message: string,
  findDeclaration: (name: string) => Declaration | null,
): string {
  const match = /^([\p{L}_$][\p{L}\p{N}_$]*) is not defined$/u.exec(message);
  if (!match) return message;
  const name = match[1];
  const declaration = findDeclaration(name);
  if (!declaration) return `${message} — no earlier cell declares it`;
  if (declaration.isLater)
    return `${message} — only cell “${declaration.cellId}”, further down, declares it; a cell can use variables from the cells above it`;
  return `${message} — cell “${declaration.cellId}” declares it but has not run successfully`;
}

/** Renders a warning shown above a cell's output (a model too large to train, say). */
export function renderWarning(text: string): HTMLElement {
  return h('p', { class: 'cell-warning', role: 'status' }, h('strong', {}, 'Warning: '), text);
}
