import type { ExpressionStatement } from 'acorn';
import { findDeclarations } from './declarations.ts';
import { parseCell, type SourcePosition } from './parse.ts';
import { findReferences } from './references.ts';

/** A cell compiled to one uniform runtime call: an async function from its inputs to its outputs. */
export interface CompiledCell {
  /** Notebook variables and prelude names the cell reads, passed in as one destructured argument. */
  inputs: string[];
  /** Notebook variables the cell defines at top level, plus inputs it assigns to. */
  outputs: string[];
  /** Top-level declarations only (what other cells depend on). */
  declarations: string[];
  /** Every free reference that is not a JavaScript global, before filtering by `available`. */
  references: string[];
  /**
   * Script text evaluating to `async function ({…inputs}) → {value, outputs}`. The cell's line n is on
   * line n + 1 of this text; `value` is the last expression statement's value (undefined if none).
   */
  code: string;
  /** Maps a position in `code` (as reported by a stack trace) to the reader's TypeScript. */
  toSource(position: SourcePosition): SourcePosition;
}

/** Options for {@link transpileCell}. */
export interface TranspileOptions {
  /** Names that exist when the cell runs (prelude + notebook variables); default: every free reference. */
  available?: ReadonlySet<string>;
  /** Function name in the generated code, shown in stack traces; default `cell`. */
  name?: string;
}

const header = (name: string, inputs: string[]) =>
  `"use strict"; (async function ${name}({${inputs.join(', ')}}) {\n`;
const valuePrefix = 'return {value: (';

/**
 * Compiles a cell's TypeScript into an async function (after Observable Framework's
 * `transpileJavaScript`): types stripped, free references as inputs, top-level declarations returned as
 * outputs, the final expression statement returned as the displayed value. Lines are preserved.
 */
export function transpileCell(source: string, options: TranspileOptions = {}): CompiledCell {
  const { js, program, toSource: jsToSource } = parseCell(source);
  const declarations = findDeclarations(program);
  const { inputs: references, assigned } = findReferences(program);
  const available = options.available ?? new Set(references);
  const inputs = references.filter((name) => available.has(name));
  const outputs = [...new Set([...declarations, ...assigned.filter((name) => available.has(name))])];
  const name = (options.name ?? 'cell').replace(/[^\w$]/g, '_');
  const returned = `outputs: {${outputs.join(', ')}}}`;

  const last = program.body.at(-1);
  let body: string;
  let valueLine = -1;
  let valueColumn = -1;
  if (last?.type === 'ExpressionStatement' && !(last as ExpressionStatement).directive) {
    // Only the final statement is rewritten, on its own line(s), so every line keeps its number. The
    // statement's own text is used, not its expression's: `({ a: 1 });` keeps its parentheses.
    const statement = js.slice(last.start, last.end).replace(/;$/, '');
    body = `${js.slice(0, last.start)}${valuePrefix}${statement}), ${returned};${js.slice(last.end)}\n`;
    valueLine = last.loc!.start.line;
    valueColumn = last.loc!.start.column;
  } else {
    body = `${js}\nreturn {value: undefined, ${returned};\n`;
  }
  const code = `${header(name, inputs)}${body}})`;
  const toSource = ({ line, column }: SourcePosition): SourcePosition => {
    const jsLine = line - 1;
    const jsColumn =
      jsLine === valueLine && column >= valueColumn + valuePrefix.length
        ? column - valuePrefix.length
        : column;
    return jsToSource({ line: Math.max(1, jsLine), column: jsColumn });
  };
  return { inputs, outputs, declarations, references, code, toSource };
}
