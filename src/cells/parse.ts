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
 * Parses a cell's TypeScript: sucrase strips the types (keeping line numbers), acorn parses the result
 * as a module so top-level `await` is allowed. Syntax errors are reported in the TypeScript's coordinates.
 */
export function parseCell(source: string): ParsedCell {
  const { code, mappings } = stripTypes(source);
  const lines = decodeLineMappings(mappings);
  const toSource = ({ line, column }: SourcePosition) => ({ line, column: mapColumn(lines, line, column) });
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
