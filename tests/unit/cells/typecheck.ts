import { dirname, relative as relativePath, resolve } from 'node:path';
import ts from 'typescript';
import { parseFenceMeta } from '../../../src/markdown/fenceMeta.ts';
import { CellSyntaxError } from '../../../src/cells/parse.ts';
import { transpileCell } from '../../../src/cells/transpile.ts';

/** A runnable cell found in a lesson's MDX. */
export interface LessonCell {
  id: string;
  source: string;
  /** 1-based line in the MDX file of the cell's first code line. */
  line: number;
}

/** A problem in a cell, located in the lesson file. */
export interface CellDiagnostic {
  file: string;
  cellId: string;
  /** Line within the cell (1-based) and in the MDX file. */
  cellLine: number;
  fileLine: number;
  message: string;
}

const root = resolve(import.meta.dirname, '../../..');

/** Finds the ```` ```ts cell ```` fences of an MDX lesson, numbering unnamed ones like src/markdown/codeCells.ts. */
export function extractCells(mdx: string): LessonCell[] {
  const lines = mdx.split('\n');
  const cells: LessonCell[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, fence, lang, meta] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    const parsed = parseFenceMeta(meta);
    if (lang === 'ts' && parsed.isCell) {
      cells.push({
        id: parsed.attributes.id ?? `cell-${cells.length + 1}`,
        source: lines.slice(i + 1, end).join('\n'),
        line: i + 2,
      });
    }
    i = end;
  }
  return cells;
}

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
};

// The prelude as cells see it at run time (src/cells/prelude.ts, execute.ts), as declarations.
const preludeSource = `
import * as tf from '@tensorflow/tfjs';
import * as Plot from '@observablehq/plot';
import * as lib from '${root}/src/lib/index.ts';
import type { Budget } from '${root}/src/cells/budget.ts';
import type { Display } from '${root}/src/cells/display/api.ts';
export { tf, Plot, lib };
export * from '${root}/src/lib/index.ts';
export { chooseImages, loadExampleImages } from '${root}/src/cells/display/folderPicker.ts';
export declare const display: Display;
export declare const dataUrl: string;
export declare const signal: AbortSignal;
export declare const budget: Budget;
`;

let previous: ts.Program | undefined;

function createProgram(files: Map<string, string>): ts.Program {
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, onError) =>
    files.has(name)
      ? ts.createSourceFile(name, files.get(name)!, language)
      : getSourceFile.call(host, name, language, onError);
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  const { directoryExists } = host;
  const virtualRoot = resolve(root, '.cells-check');
  host.directoryExists = (name) =>
    name.startsWith(virtualRoot) || (directoryExists?.call(host, name) ?? true);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  previous = ts.createProgram({ rootNames: [...files.keys()], options, host, oldProgram: previous });
  return previous;
}

let preludeNames: string[] | undefined;

/** Returns every name the prelude exports (tf, Plot, lib, display, dataUrl, signal, budget and the library's exports). */
export function getPreludeNames(): string[] {
  if (preludeNames) return preludeNames;
  const file = resolve(root, '.cells-check/prelude.ts');
  const program = createProgram(new Map([[file, preludeSource]]));
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  preludeNames = checker.getExportsOfModule(symbol).map((s) => s.name);
  return preludeNames;
}

/**
 * Type-checks a lesson's cells against the prelude: each cell is a virtual module whose inputs are
 * imported (at the end, so its lines keep their numbers) from the prelude or from the earlier cell
 * that defines them, and whose top-level declarations are exported to later cells.
 */
export function typeCheckCells(file: string, cells: readonly LessonCell[]): CellDiagnostic[] {
  const dir = resolve(root, '.cells-check', file.replace(/[^\w.-]/g, '_'));
  const prelude = getPreludeNames();
  const files = new Map<string, string>([[resolve(root, '.cells-check/prelude.ts'), preludeSource]]);
  const problems: CellDiagnostic[] = [];
  const defined: { index: number; names: string[] }[] = [];
  const paths: string[] = [];
  cells.forEach((cell, index) => {
    const path = `${dir}/cell-${index}.ts`;
    paths.push(path);
    let declarations: string[] = [];
    let parses = true;
    let references: string[] = [];
    try {
      ({ declarations, references } = transpileCell(cell.source));
    } catch (error) {
      if (!(error instanceof CellSyntaxError)) throw error;
      parses = false;
      const { line } = error.position;
      problems.push({
        file,
        cellId: cell.id,
        cellLine: line,
        fileLine: cell.line + line - 1,
        message: error.message,
      });
    }
    const imports: string[] = [];
    const fromPrelude = prelude.filter(
      (name) => !declarations.includes(name) && new RegExp(`\\b${name}\\b`).test(cell.source),
    );
    if (fromPrelude.length > 0)
      imports.push(
        `import { ${fromPrelude.join(', ')} } from '${relative(path, files.keys().next().value!)}';`,
      );
    for (const name of references) {
      const source = defined.findLast((d) => d.names.includes(name));
      if (source) imports.push(`import { ${name} } from './cell-${source.index}.ts';`);
    }
    const exports = declarations.length > 0 ? `export { ${declarations.join(', ')} };` : 'export {};';
    // A cell that does not parse was reported above; TypeScript would only repeat it.
    files.set(path, parses ? `${cell.source}\n${imports.join(' ')}\n${exports}\n` : 'export {};\n');
    defined.push({ index, names: declarations });
  });
  const program = createProgram(files);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const index = diagnostic.file ? paths.indexOf(diagnostic.file.fileName) : -1;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (index < 0) {
      // Library sources are checked by `tsc -p tsconfig.json` under the project's options; here only the
      // cells and the prelude declarations themselves are this test's business.
      if (diagnostic.file && !diagnostic.file.fileName.endsWith('.cells-check/prelude.ts')) continue;
      problems.push({
        file,
        cellId: '(prelude)',
        cellLine: 0,
        fileLine: 0,
        message: `TS${diagnostic.code}: ${message}`,
      });
      continue;
    }
    const cell = cells[index];
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const cellLine = Math.min(line + 1, cell.source.split('\n').length);
    problems.push({
      file,
      cellId: cell.id,
      cellLine,
      fileLine: cell.line + cellLine - 1,
      message: `TS${diagnostic.code}: ${message}`,
    });
  }
  return problems.sort((a, b) => a.fileLine - b.fileLine);
}

function relative(from: string, to: string): string {
  const path = relativePath(dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

/** Formats a problem as `file:line (cell id, line n): message`. */
export function formatDiagnostic(problem: CellDiagnostic): string {
  return `${problem.file}:${problem.fileLine} (cell ${problem.cellId}, line ${problem.cellLine}): ${problem.message}`;
}
