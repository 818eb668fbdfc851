import type { AnyNode, Identifier, Node, Program } from 'acorn';
import { ancestor, type AncestorVisitors } from 'acorn-walk';
import { patternNames } from './declarations.ts';

/**
 * One occurrence of a notebook-level name in a cell: a free name, or one the cell declares at its top
 * level (the two kinds of name the notebook shares between cells).
 */
export interface BindingSite {
  name: string;
  start: number;
  end: number;
  /** `read`, `assign` (`x = …`, `x++`, a destructuring target) or `declare` (a top-level `let`/`const`/`var`). */
  kind: 'read' | 'assign' | 'declare';
  /** The identifier is a shorthand property (`{ x }`, `{ x = 1 }`): rewriting it must keep the key. */
  shorthand: boolean;
}

/** The free names of a cell: what it reads from the notebook, and which of those it assigns to. */
export interface CellReferences {
  /** Free identifiers that are not JavaScript globals, in order of first use. */
  inputs: string[];
  /** Free identifiers the cell assigns to (`x = …`, `x++`); a subset of `inputs`. */
  assigned: string[];
  /** Every occurrence of a free or top-level name (globals left out), in source order. */
  sites: BindingSite[];
  /** Names declared at the top level, `var`s in top-level blocks and loops included. */
  topLevel: string[];
}

/**
 * Globals a cell may use that are never notebook variables. `console` is deliberately absent: the
 * runtime passes its own so that logging appears under the cell.
 */
const defaultGlobals: ReadonlySet<string> = new Set([
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
  const sites: BindingSite[] = [];
  // The innermost scope that declares `name` around a node: none (free), the program (top level), or inner.
  const owner = (name: string, ancestors: Node[]) =>
    ancestors
      .slice(0, -1)
      .reverse()
      .find((node) => scopes.get(node)?.has(name));
  // acorn-walk passes an object pattern's property values straight to the visitor, without the Property.
  const isShorthand = (node: Node, ancestors: Node[]) => {
    const parent = ancestors.at(-2) as AnyNode | undefined;
    const grandparent = ancestors.at(-3) as AnyNode | undefined;
    const inPattern = (pattern: AnyNode | undefined, value: Node) =>
      pattern?.type === 'ObjectPattern' &&
      pattern.properties.some((p) => p.type === 'Property' && p.shorthand && p.value === value);
    if (parent?.type === 'Property') return parent.shorthand;
    if (parent?.type === 'AssignmentPattern' && parent.left === node)
      return grandparent?.type === 'Property' ? grandparent.shorthand : inPattern(grandparent, parent);
    return inPattern(parent, node);
  };
  const site = (node: Identifier, ancestors: Node[], kind: BindingSite['kind']) =>
    sites.push({
      name: node.name,
      start: node.start,
      end: node.end,
      kind,
      shorthand: isShorthand(node, ancestors),
    });
  const reference = (node: Identifier, ancestors: Node[], isAssignment: boolean) => {
    if (globals.has(node.name)) return;
    const scope = owner(node.name, ancestors);
    if (scope && scope !== program) return;
    site(node, ancestors, isAssignment ? 'assign' : 'read');
    if (scope) return;
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
        if (type === 'VariableDeclarator') {
          // A declaration of the top level (`var` anywhere outside functions) is a notebook variable.
          const kind = (ancestors[i - 1] as AnyNode & { kind: string }).kind;
          const scope = nearest(
            ancestors.slice(0, i + 1),
            kind === 'var' ? (n) => isFunction(n) || n.type === 'Program' : isBlockScope,
          );
          if (scope === program) site(node as Identifier, ancestors, 'declare');
          return;
        }
        if (type === 'CatchClause' || isFunction(ancestors[i] as Scoped)) return;
        if (type === 'ClassDeclaration' || type === 'ClassExpression') return;
      }
    },
  };
  // acorn-walk calls `VariablePattern` for pattern identifiers but does not declare it in its types.
  ancestor(program, visitors as AncestorVisitors<unknown>);
  sites.sort((a, b) => a.start - b.start);
  return { inputs: [...inputs], assigned: [...assigned], sites, topLevel: [...(scopes.get(program) ?? [])] };
}
