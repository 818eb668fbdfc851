import type { AnyNode, Identifier, Node, Program } from 'acorn';
import { ancestor, type AncestorVisitors } from 'acorn-walk';
import { patternNames } from './declarations.ts';

/** The free names of a cell: what it reads from the notebook, and which of those it assigns to. */
export interface CellReferences {
  /** Free identifiers that are not JavaScript globals, in order of first use. */
  inputs: string[];
  /** Free identifiers the cell assigns to (`x = …`, `x++`); a subset of `inputs`. */
  assigned: string[];
}

/**
 * Globals a cell may use that are never notebook variables. `console` is deliberately absent: the
 * runtime passes its own so that logging appears under the cell.
 */
export const defaultGlobals: ReadonlySet<string> = new Set([
  'Array',
  'ArrayBuffer',
  'AbortController',
  'AbortSignal',
  'BigInt',
  'Boolean',
  'DataView',
  'Date',
  'Error',
  'EvalError',
  'Float32Array',
  'Float64Array',
  'Function',
  'Infinity',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Intl',
  'JSON',
  'Map',
  'Math',
  'NaN',
  'Number',
  'Object',
  'Promise',
  'Proxy',
  'RangeError',
  'ReferenceError',
  'Reflect',
  'RegExp',
  'Set',
  'String',
  'Symbol',
  'SyntaxError',
  'TypeError',
  'URIError',
  'URL',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'WeakMap',
  'WeakSet',
  'arguments',
  'clearInterval',
  'clearTimeout',
  'crypto',
  'decodeURIComponent',
  'document',
  'encodeURIComponent',
  'fetch',
  'globalThis',
  'isFinite',
  'isNaN',
  'localStorage',
  'navigator',
  'parseFloat',
  'parseInt',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'setInterval',
  'setTimeout',
  'structuredClone',
  'undefined',
  'window',
]);

type Scoped = Node & { type: string };

const isFunction = (node: Scoped) =>
  node.type === 'FunctionDeclaration' ||
  node.type === 'FunctionExpression' ||
  node.type === 'ArrowFunctionExpression';
const isBlockScope = (node: Scoped) =>
  isFunction(node) ||
  node.type === 'Program' ||
  node.type === 'BlockStatement' ||
  node.type === 'StaticBlock' ||
  node.type === 'SwitchStatement' ||
  node.type === 'ForStatement' ||
  node.type === 'ForInStatement' ||
  node.type === 'ForOfStatement';

/**
 * Finds a cell's free references with a scope-aware walk (after Observable Framework's
 * `references.ts`): names declared in an enclosing function, block, catch clause or class, or at the
 * cell's top level, are not inputs; everything else that is not a JavaScript global is.
 */
export function findReferences(
  program: Program,
  globals: ReadonlySet<string> = defaultGlobals,
): CellReferences {
  const scopes = new Map<Node, Set<string>>();
  const declare = (scope: Node | undefined, names: string[]) => {
    if (!scope) return;
    const set = scopes.get(scope) ?? new Set<string>();
    for (const name of names) set.add(name);
    scopes.set(scope, set);
  };
  // `ancestors` ends with the node itself; its scope is the nearest enclosing one.
  const nearest = (ancestors: Node[], test: (node: Scoped) => boolean) =>
    ancestors
      .slice(0, -1)
      .reverse()
      .find((node) => test(node as Scoped));

  ancestor(program, {
    VariableDeclaration(node, _state, ancestors) {
      const scope = nearest(
        ancestors,
        node.kind === 'var' ? (n) => isFunction(n) || n.type === 'Program' : isBlockScope,
      );
      for (const declarator of node.declarations) declare(scope, patternNames(declarator.id));
    },
    Function(node, _state, ancestors) {
      const params: string[] = [];
      for (const param of node.params) patternNames(param, params);
      declare(node, params);
      if (!node.id) return;
      if (node.type === 'FunctionDeclaration') declare(nearest(ancestors, isBlockScope), [node.id.name]);
      else declare(node, [node.id.name]);
    },
    Class(node, _state, ancestors) {
      if (!node.id) return;
      if (node.type === 'ClassDeclaration') declare(nearest(ancestors, isBlockScope), [node.id.name]);
      else declare(node, [node.id.name]);
    },
    CatchClause(node) {
      if (node.param) declare(node, patternNames(node.param));
    },
  });

  const inputs = new Set<string>();
  const assigned = new Set<string>();
  const isDeclared = (name: string, ancestors: Node[]) =>
    ancestors.slice(0, -1).some((node) => scopes.get(node)?.has(name));
  const reference = (node: Identifier, ancestors: Node[], isAssignment: boolean) => {
    if (globals.has(node.name) || isDeclared(node.name, ancestors)) return;
    inputs.add(node.name);
    if (isAssignment) assigned.add(node.name);
  };

  const visitors = {
    Identifier(node: Identifier, _state: unknown, ancestors: Node[]) {
      const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
      const isAssignment =
        parent?.type === 'UpdateExpression' ||
        ((parent?.type === 'ForInStatement' || parent?.type === 'ForOfStatement') && parent.left === node);
      reference(node, ancestors, isAssignment);
    },
    // Identifiers in patterns are declarations, except the targets of plain assignments (`x = 1`, `[a, b] = c`).
    VariablePattern(node: Node, _state: unknown, ancestors: Node[]) {
      for (let i = ancestors.length - 2; i >= 0; i--) {
        const type = (ancestors[i] as Scoped).type;
        if (type === 'AssignmentExpression' || type === 'ForInStatement' || type === 'ForOfStatement') {
          reference(node as Identifier, ancestors, true);
          return;
        }
        if (type === 'VariableDeclarator' || type === 'CatchClause' || isFunction(ancestors[i] as Scoped))
          return;
        if (type === 'ClassDeclaration' || type === 'ClassExpression') return;
      }
    },
  };
  // acorn-walk calls `VariablePattern` for pattern identifiers but does not declare it in its types.
  ancestor(program, visitors as AncestorVisitors<unknown>);
  return { inputs: [...inputs], assigned: [...assigned] };
}
