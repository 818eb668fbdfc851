import { Parser, type Program } from 'acorn';
import { transform } from 'sucrase';
import { decodeLineMappings, mapColumn } from './sourceMap.ts';

/** A position in the reader's TypeScript: 1-based line, 0-based column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A cell that failed to parse: the message and where, in the reader's TypeScript. */
export class CellSyntaxError extends Error {
  readonly position: SourcePosition;
  constructor(message: string, position: SourcePosition) {
    super(message);
    this.name = 'SyntaxError';
    this.position = position;
  }
}

/** A cell as JavaScript: the code with types stripped, its syntax tree and a column map back to the TypeScript. */
export interface ParsedCell {
  /** The JavaScript; every line is on the same line as in the TypeScript. */
  js: string;
  program: Program;
  /** Maps a position in `js` back to the reader's TypeScript. */
  toSource(position: SourcePosition): SourcePosition;
}

/** Converts an offset in `text` to a line (1-based) and column (0-based). */
export function positionAt(text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

function stripTypes(source: string): { code: string; mappings: string } {
  try {
    const result = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      // Keep imports so that parseCell can reject them with a message instead of silently dropping them.
      keepUnusedImports: true,
      filePath: 'cell.ts',
      sourceMapOptions: { compiledFilename: 'cell.js' },
    });
    return { code: result.code, mappings: result.sourceMap?.mappings ?? '' };
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (typeof pos !== 'number') throw error;
    // Sucrase prefixes "Error transforming cell.ts: " and appends "(line:column)"; the position is shown separately.
    const message = (error as Error).message
      .replace(/^Error transforming [^:]*: /, '')
      .replace(/ \(\d+:\d+\)$/, '');
    throw new CellSyntaxError(message, positionAt(source, pos));
  }
}

/**
 * Maps a column of a JavaScript line back to its TypeScript line when the JavaScript is the TypeScript
 * with characters taken out (what stripping types does): each JavaScript character is matched to the
 * next equal one. Null when the line is not such a subsequence (then the source map decides; sucrase's
 * maps every column after a `${…}` template on a line to one place, so it is the second choice).
 */
function alignColumn(js: string, ts: string, column: number): number | null {
  if (js === ts) return column;
  let t = 0;
  let found: number | null = null;
  for (let j = 0; j < js.length; j++) {
    while (t < ts.length && ts[t] !== js[j]) t++;
    if (t === ts.length) return null;
    if (j === column) found = t;
    t++;
  }
  return found ?? (column >= js.length ? ts.length - (js.length - column) : null);
}

function parseExact(source: string): ParsedCell {
  const { code, mappings } = stripTypes(source);
  const lines = decodeLineMappings(mappings);
  const tsLines = source.split('\n');
  const jsLines = code.split('\n');
  const toSource = ({ line, column }: SourcePosition) => {
    const aligned = alignColumn(jsLines[line - 1] ?? '', tsLines[line - 1] ?? '', column);
    return { line, column: aligned ?? mapColumn(lines, line, column) };
  };
  let program: Program;
  try {
    program = Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  } catch (error) {
    const loc = (error as { loc?: SourcePosition }).loc;
    if (!loc) throw error;
    throw new CellSyntaxError((error as Error).message.replace(/ \(\d+:\d+\)$/, ''), toSource(loc));
  }
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration' || node.type.startsWith('Export')) {
      const keyword = node.type === 'ImportDeclaration' ? 'import' : 'export';
      throw new CellSyntaxError(
        `invalid ${keyword} in a cell (cells share one scope; tf, Plot and the library are already in scope)`,
        toSource(positionAt(code, node.start)),
      );
    }
  }
  return { js: code, program, toSource };
}

/**
 * A REPL's reading of a cell that ends with `{ … }` on lines of its own: an object literal to show, not
 * a block (`{ lr: 0.1 }` is a labelled statement to JavaScript, `{ lr: 0.1, epochs: 3 }` a syntax error).
 * Wraps the last such lines in parentheses and parses again; null when that is no object literal.
 */
function parseTrailingObject(source: string): ParsedCell | null {
  const end = source.replace(/[\s;]*$/, '').length;
  if (source[end - 1] !== '}') return null;
  const lines = source.slice(0, end).split('\n');
  for (let first = lines.length - 1, tried = 0; first >= 0 && tried < 40; first--, tried++) {
    const indent = /^[ \t]*/.exec(lines[first])![0].length;
    if (lines[first][indent] !== '{') continue;
    const start = lines.slice(0, first).reduce((n, line) => n + line.length + 1, 0) + indent;
    const wrapped = `${source.slice(0, start)}(${source.slice(start, end)})${source.slice(end)}`;
    let parsed: ParsedCell;
    try {
      parsed = parseExact(wrapped);
    } catch {
      continue;
    }
    const last = parsed.program.body.at(-1);
    if (last?.type !== 'ExpressionStatement' || last.expression.type !== 'ObjectExpression') continue;
    // One column was inserted on the object's first line; positions after it move back.
    const line = first + 1;
    const toSource = (position: SourcePosition) => {
      const mapped = parsed.toSource(position);
      return mapped.line === line && mapped.column > indent ? { line, column: mapped.column - 1 } : mapped;
    };
    return { ...parsed, toSource };
  }
  return null;
}

/**
 * Parses a cell's TypeScript: sucrase strips the types (keeping line numbers), acorn parses the result
 * as a module so top-level `await` is allowed. Syntax errors are reported in the TypeScript's
 * coordinates. A cell that ends with an object literal on its own lines reads as one, as in a REPL.
 */
export function parseCell(source: string): ParsedCell {
  // The scheduler analyses a cell when it changes and the run compiles it: one parse serves both.
  const cached = recentParses.get(source);
  if (cached) return cached;
  const result = parseUncached(source);
  recentParses.set(source, result);
  if (recentParses.size > 64) recentParses.delete(recentParses.keys().next().value!);
  return result;
}

/** The last parses, by source (a parse is not changed by its users: they edit the text, not the tree). */
const recentParses = new Map<string, ParsedCell>();

function parseUncached(source: string): ParsedCell {
  let parsed: ParsedCell;
  try {
    parsed = parseExact(source);
  } catch (error) {
    if (error instanceof CellSyntaxError) {
      const object = parseTrailingObject(source);
      if (object) return object;
    }
    throw error;
  }
  if (parsed.program.body.at(-1)?.type === 'BlockStatement') return parseTrailingObject(source) ?? parsed;
  return parsed;
}
