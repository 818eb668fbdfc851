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
