import type { Pattern, Program } from 'acorn';

/** Collects the names a destructuring pattern binds (`{a, b: [c, ...d], e = 1}` → a, c, d, e). */
export function patternNames(pattern: Pattern, names: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        patternNames(property.type === 'RestElement' ? property.argument : property.value, names);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) patternNames(element, names);
      break;
    case 'RestElement':
      patternNames(pattern.argument, names);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, names);
      break;
    case 'MemberExpression':
      break;
  }
  return names;
}

/**
 * Finds a cell's top-level declarations (`const`, `let`, `var`, `function`, `class`, destructuring):
 * the notebook variables the cell defines, in source order.
 */
export function findDeclarations(program: Program): string[] {
  const names: string[] = [];
  for (const node of program.body) {
    if (node.type === 'VariableDeclaration') {
      for (const declarator of node.declarations) patternNames(declarator.id, names);
    } else if (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') {
      if (node.id) names.push(node.id.name);
    }
  }
  return [...new Set(names)];
}
