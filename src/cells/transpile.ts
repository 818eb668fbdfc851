import type { AnyNode, Node, Program, VariableDeclaration } from 'acorn';
import { ancestor, simple } from 'acorn-walk';
import { findDeclarations } from './declarations.ts';
import { applyEdits, type Edit } from './edits.ts';
import { CellSyntaxError, parseCell, positionAt, type SourcePosition } from './parse.ts';
import type { CellDependencies } from './notebook.ts';
import { findReferences } from './references.ts';

/** The name of the notebook's scope object in compiled cells (the runtime passes a proxy of it). */
export const SCOPE_NAME = '__nb';

/** The function every loop of a compiled cell calls at the start of each iteration (Stop, runaway loops). */
export const LOOP_GUARD = '__loop';

/** A cell compiled to one uniform runtime call: an async function of the notebook scope and its inputs. */
export interface CompiledCell {
  /** Names the runtime provides that the cell reads (prelude and per-run), passed in as one destructured argument. */
  inputs: string[];
  /** Top-level declarations (`var`s in top-level blocks included): the notebook variables the cell owns. */
  declarations: string[];
  /** Where each top-level declaration is, in the reader's TypeScript (for "declared twice" errors). */
  declarationSites: { name: string; position: SourcePosition }[];
  /** Top-level `const` declarations: no other cell may assign them. */
  constants: string[];
  /** Every free reference that is not a JavaScript global (notebook variables and runtime names). */
  references: string[];
  /** Whether the cell has a loop (its code then takes {@link LOOP_GUARD} among its inputs). */
  hasLoops: boolean;
  /** Free references the cell assigns to (`x = …`, `x++`): notebook variables of other cells. */
  assigned: string[];
  /**
   * Script text evaluating to `async function (scope, {…inputs}) → {value}`. Notebook variables are
   * read and written as properties of `scope`, so closures see later assignments (live bindings). The
   * cell's line n is on line n + 1 of this text; `value` is the last expression statement's value.
   */
  code: string;
  /** Maps a position in `code` (as reported by a stack trace) to the reader's TypeScript. */
  toSource(position: SourcePosition): SourcePosition;
}

/** Options for {@link transpileCell}. */
export interface TranspileOptions {
  /** Names the runtime passes in (prelude, per-run); default: none, every free name is a notebook variable. */
  provided?: ReadonlySet<string>;
  /** Browser globals a cell may use (a free name that is one, and that no cell declares, stays global). */
  isGlobal?: (name: string) => boolean;
  /** Names some cell of the page declares: notebook variables even where a global has the same name. */
  notebook?: ReadonlySet<string>;
  /** Function name in the generated code, shown in stack traces; default `cell`. */
  name?: string;
}

const valuePrefix = 'return {value: (';

/** Top-level variable declarations: in the program body, or a `var` anywhere outside functions. */
function notebookDeclarations(program: Program): { node: VariableDeclaration; parent: Node }[] {
  const found: { node: VariableDeclaration; parent: Node }[] = [];
  ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const inFunction = ancestors.some(
        (a) =>
          a.type === 'FunctionDeclaration' ||
          a.type === 'FunctionExpression' ||
          a.type === 'ArrowFunctionExpression' ||
          a.type === 'StaticBlock',
      );
      const parent = ancestors.at(-2)!;
      if (node.kind === 'var' ? !inFunction : parent === program) found.push({ node, parent });
    },
  });
  return found;
}

/**
 * Compiles a cell's TypeScript into an async function (after Observable Framework's
 * `transpileJavaScript`, with the notebook's variables as live bindings): types stripped; notebook
 * variables, the cell's own top-level declarations included, rewritten to properties of the scope
 * object; names the runtime provides passed in; the final expression statement returned as the
 * displayed value. Lines are preserved.
 */
export function transpileCell(source: string, options: TranspileOptions = {}): CompiledCell {
  const { js, program, toSource: jsToSource } = parseCell(source);
  const { inputs: references, assigned, sites, topLevel } = findReferences(program);
  const declarations = [...new Set([...findDeclarations(program), ...topLevel])];
  const provided = options.provided ?? new Set<string>();
  const own = new Set(declarations);
  const isNotebook = (name: string) =>
    own.has(name) ||
    (!provided.has(name) && (options.notebook?.has(name) || !(options.isGlobal?.(name) ?? false)));
  const inputs = references.filter((name) => provided.has(name) && !own.has(name));
  const at = (offset: number) => jsToSource(positionAt(js, offset));

  const declarationSites = sites
    .filter((site) => site.kind === 'declare')
    .map((site) => ({ name: site.name, position: at(site.start) }));
  const edits: Edit[] = [];
  const rewrite = (name: string, shorthand: boolean) =>
    `${shorthand ? `${name}: ` : ''}${SCOPE_NAME}.${name}`;
  for (const site of sites)
    if (isNotebook(site.name))
      edits.push({ start: site.start, end: site.end, text: rewrite(site.name, site.shorthand) });

  // `let a = 1, b;` → `;(__nb.a = 1, __nb.b = undefined);` (`;` so that the line above cannot swallow the
  // parenthesis). In a `for` head the keyword just goes: `for (var i = 0; …)` → `for (__nb.i = 0; …)`.
  const constants: string[] = [];
  for (const { node, parent } of notebookDeclarations(program)) {
    const inLoopHead = parent.type.startsWith('For') && (parent as AnyNode & { body: Node }).body !== node;
    const isStatement = !inLoopHead;
    const keywordEnd = node.start + node.kind.length + (js[node.start + node.kind.length] === ' ' ? 1 : 0);
    const opener =
      isStatement && ['Program', 'BlockStatement', 'SwitchCase', 'StaticBlock'].includes(parent.type)
        ? ';('
        : '(';
    edits.push({ start: node.start, end: keywordEnd, text: isStatement ? opener : '' });
    const inLoopLeft =
      (parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') &&
      (parent as AnyNode & { left: Node }).left === node;
    for (const declarator of node.declarations) {
      if (!declarator.init && !inLoopLeft)
        edits.push({ start: declarator.id.end, end: declarator.id.end, text: ' = undefined' });
      // A const's names are the declaration sites inside its pattern (`const { a, b: [c] } = …`).
      if (node.kind === 'const')
        for (const s of sites)
          if (s.kind === 'declare' && s.start >= declarator.id.start && s.end <= declarator.id.end)
            constants.push(s.name);
    }
    if (isStatement) {
      const end = js[node.end - 1] === ';' ? node.end - 1 : node.end;
      edits.push({ start: end, end, text: ')' });
    }
  }
  const constantSet = new Set(constants);
  const reassigned = sites.find((site) => site.kind === 'assign' && constantSet.has(site.name));
  if (reassigned)
    throw new CellSyntaxError(
      `Assignment to constant variable ${reassigned.name} (declared with const in this cell; use let to reassign it)`,
      at(reassigned.start),
    );

  // Functions keep their hoisted declaration and are shared from the first line; classes are assigned.
  const hoisted: string[] = [];
  for (const node of program.body) {
    if (node.type === 'FunctionDeclaration' && node.id) hoisted.push(node.id.name);
    if (node.type === 'ClassDeclaration' && node.id) {
      edits.push({ start: node.start, end: node.start, text: `;${SCOPE_NAME}.${node.id.name} = ` });
      edits.push({ start: node.end, end: node.end, text: ';' });
    }
  }

  // Loop protection (as CodePen's and JS Bin's): each iteration of every loop first calls the guard, which
  // throws when the reader pressed Stop or the loop has kept the page from updating for too long.
  let hasLoops = false;
  const guard = (node: AnyNode) => {
    const body = (node as AnyNode & { body: AnyNode }).body;
    hasLoops = true;
    if (body.type === 'BlockStatement')
      edits.push({ start: body.start + 1, end: body.start + 1, text: `${LOOP_GUARD}();` });
    else {
      edits.push({ start: body.start, end: body.start, text: `{${LOOP_GUARD}();` });
      edits.push({ start: body.end, end: body.end, text: '}' });
    }
  };
  simple(program, {
    ForStatement: guard,
    ForInStatement: guard,
    ForOfStatement: guard,
    WhileStatement: guard,
    DoWhileStatement: guard,
  });

  const last = program.body.at(-1);
  // A last statement that is only a string is a directive to JavaScript ('use strict'); a REPL shows it.
  const isValue = last?.type === 'ExpressionStatement';
  if (isValue) {
    // Only the final statement is wrapped, on its own line(s), so every line keeps its number. The
    // statement's own text is used, not its expression's: `({ a: 1 });` keeps its parentheses.
    edits.push({ start: last.start, end: last.start, text: valuePrefix });
    const end = js[last.end - 1] === ';' ? last.end - 1 : last.end;
    edits.push({ start: end, end: last.end, text: ')};' });
  }
  const edited = applyEdits(js, edits);
  const name = (options.name ?? 'cell').replace(/[^\w$]/g, '_');
  const share = hoisted.map((f) => ` ${SCOPE_NAME}.${f} = ${f};`).join('');
  const parameters = hasLoops ? [...inputs, LOOP_GUARD] : inputs;
  const header = `"use strict"; (async function ${name}(${SCOPE_NAME}, {${parameters.join(', ')}}) {${share}\n`;
  const body = isValue ? `${edited.text}\n` : `${edited.text}\nreturn {value: undefined};\n`;
  const code = `${header}${body}})`;
  const toSource = ({ line, column }: SourcePosition): SourcePosition =>
    jsToSource({ line: Math.max(1, line - 1), column: edited.toOriginal(Math.max(1, line - 1), column) });
  return {
    inputs,
    declarations,
    declarationSites,
    constants: [...constantSet],
    references,
    assigned,
    hasLoops,
    code,
    toSource,
  };
}

/** What the scheduler needs of a cell: the names it reads, declares and assigns (none when it does not parse). */
export function analyseCell(source: string): CellDependencies {
  try {
    const compiled = transpileCell(source);
    return { inputs: compiled.references, outputs: compiled.declarations, assigns: compiled.assigned };
  } catch (error) {
    if (error instanceof CellSyntaxError) return { inputs: [], outputs: [], assigns: [] };
    throw error;
  }
}
