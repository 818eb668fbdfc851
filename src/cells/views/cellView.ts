import { createEditor } from '../editor.ts';
import type { CellView } from '../controller.ts';
import type { CellState } from '../notebook.ts';

// One `<code-cell>` as the notebook sees it: the editor (which replaces the static code), the status
// line, the output, the Reset button and the "lesson changed" notice.

/** What the reader does in a cell, passed on to the notebook. */
export interface CellViewHandlers {
  edited(id: string, source: string): void;
  /** Shift+Enter runs and moves to the next cell; Ctrl/Cmd+Enter (`stay`) runs in place. */
  run(id: string, stay: boolean): void;
  reset(id: string): void;
  keepEdit(id: string): void;
}

const stateText: Record<CellState, string> = {
  idle: '',
  queued: 'Queued',
  running: 'Running…',
  done: 'Done',
  error: 'Error',
  stopped: 'Stopped',
  stale: 'Stale: an input changed',
};

const className = { loading: 'cell-loading', error: 'cell-error', notice: 'cell-notice' } as const;

function button(text: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'cell-button';
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

/** Turns a server-rendered `<code-cell>` into a live cell; `output` is where its run writes. */
export function createCellView(
  element: HTMLElement,
  handlers: CellViewHandlers,
): CellView & { output: HTMLElement } {
  const id = element.dataset.cellId!;
  const original = JSON.parse(
    element.querySelector('script[data-cell-source]')!.textContent ?? '""',
  ) as string;
  const output = element.querySelector<HTMLElement>('.cell-output')!;
  const title = element.dataset.cellTitle || `cell ${id}`;
  const notice = element.querySelector<HTMLElement>('[data-cell-notice]');
  const reset = element.querySelector<HTMLButtonElement>('[data-action="reset"]');
  const code = element.querySelector<HTMLElement>('.cell-code')!;
  code.replaceChildren();
  // Setting the code from the notebook (a saved edit, Reset) is not the reader typing.
  let setting = false;
  const editor = createEditor({
    parent: code,
    doc: original,
    label: `Code of cell ${id}`,
    onChange: (source) => setting || handlers.edited(id, source),
    onRun: (stay) => handlers.run(id, stay),
    onEscape: () => element.querySelector<HTMLButtonElement>('[data-action="run"]')?.focus(),
  });
  reset?.removeAttribute('disabled');
  reset?.addEventListener('click', () => {
    handlers.reset(id);
    element.querySelector<HTMLButtonElement>('[data-action="run"]')?.focus();
  });
  return {
    id,
    original,
    title,
    output,
    source: () => editor.getSource(),
    setSource(source) {
      setting = true;
      try {
        editor.setSource(source);
      } finally {
        setting = false;
      }
    },
    showState(state) {
      element.dataset.state = state;
      const status = element.querySelector<HTMLElement>('[data-cell-status]');
      if (status) status.textContent = stateText[state];
    },
    showEdited(edited) {
      element.toggleAttribute('data-edited', edited);
      if (reset) reset.hidden = !edited;
    },
    showOutdated(shown) {
      if (!notice) return;
      notice.hidden = !shown;
      if (!shown) return notice.replaceChildren();
      notice.replaceChildren(
        'The lesson’s code for this cell changed since you edited it. ',
        button('Keep my edit', () => handlers.keepEdit(id)),
        ' ',
        button('Use the lesson’s version', () => handlers.reset(id)),
      );
    },
    clear() {
      output.replaceChildren();
      editor.showError(null);
    },
    say(kind, text) {
      output.append(
        Object.assign(document.createElement('p'), { className: className[kind], textContent: text }),
      );
    },
    showErrorPosition: (position) => editor.showError(position),
    focus: () => editor.focus(),
  };
}
