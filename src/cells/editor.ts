import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { SourcePosition } from './parse.ts';

/** Options for {@link createEditor}. */
export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  /** Accessible name of the editor, e.g. "Code of cell hello". */
  label: string;
  onChange(source: string): void;
  /** Shift+Enter (`stay` false: the runtime moves on to the next cell) and Ctrl/Cmd+Enter (`stay` true). */
  onRun(stay: boolean): void;
  /** Escape: leave the editor (the runtime focuses the cell's Run button). */
  onEscape(): void;
}

/** A cell's editor: read and replace its text, show an error position, focus it. */
export interface CellEditor {
  view: EditorView;
  getSource(): string;
  setSource(source: string): void;
  showError(position: SourcePosition | null): void;
  focus(): void;
}

// Colours are CSS variables (global.css, "Notebook runtime"), so the editor follows the site's theme
// without reconfiguring: the same rules serve light and dark.
const highlightStyle = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.operatorKeyword, tags.modifier, tags.controlKeyword],
    color: 'var(--cm-keyword)',
  },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--cm-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--cm-number)' },
  {
    tag: [tags.comment, tags.lineComment, tags.blockComment],
    color: 'var(--cm-comment)',
    fontStyle: 'italic',
  },
  {
    tag: [
      tags.function(tags.variableName),
      tags.function(tags.propertyName),
      tags.definition(tags.function(tags.variableName)),
    ],
    color: 'var(--cm-function)',
  },
  { tag: [tags.typeName, tags.className, tags.namespace], color: 'var(--cm-type)' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--cm-property)' },
]);

const setError = StateEffect.define<SourcePosition | null>();
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    if (transaction.docChanged) return Decoration.none; // the reader is fixing it
    for (const effect of transaction.effects) {
      if (!effect.is(setError)) continue;
      const position = effect.value;
      const doc = transaction.state.doc;
      if (!position || position.line > doc.lines) return Decoration.none;
      const line = doc.line(position.line);
      const from = Math.min(line.from + position.column, line.to);
      const wordEnd = /^[\w$]*/.exec(doc.sliceString(from, line.to))![0].length;
      const ranges = [Decoration.line({ class: 'cm-error-line' }).range(line.from)];
      if (from < line.to)
        ranges.push(Decoration.mark({ class: 'cm-error-mark' }).range(from, from + Math.max(1, wordEnd)));
      return Decoration.set(ranges);
    }
    return decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)', fontSize: '0.9rem' },
  '.cm-content': { fontFamily: 'var(--font-code)', caretColor: 'var(--fg)', padding: '0.6rem 0' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--fg-soft)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--cm-active-line)' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '-3px' },
  '.cm-error-line': { backgroundColor: 'var(--cm-error-line)' },
  '.cm-error-mark': { textDecoration: 'underline wavy var(--cm-error)', textDecorationSkipInk: 'none' },
});

/** Creates a CodeMirror 6 editor for a cell: TypeScript highlighting, history, run/escape keys. */
export function createEditor(options: EditorOptions): CellEditor {
  const keys = Prec.highest(
    keymap.of([
      { key: 'Shift-Enter', run: () => (options.onRun(false), true) },
      { key: 'Mod-Enter', run: () => (options.onRun(true), true) },
      { key: 'Escape', run: () => (options.onEscape(), true) },
    ]),
  );
  const extensions: Extension[] = [
    keys,
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    indentOnInput(),
    bracketMatching(),
    syntaxHighlighting(highlightStyle),
    javascript({ typescript: true }),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    errorField,
    theme,
    // Long lines wrap instead of scrolling sideways: readable on a phone, and no scroll region that only
    // a mouse can reach (axe: scrollable-region-focusable).
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
  ];
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({ doc: options.doc, extensions }),
  });
  return {
    view,
    getSource: () => view.state.doc.toString(),
    setSource: (source) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } }),
    showError: (position) => view.dispatch({ effects: setError.of(position) }),
    focus: () => view.focus(),
  };
}
