/** Whether a value is a DOM node (a Plot figure, an SVG, an element a cell built) to show as is. */
export function isNode(value: unknown): value is Node {
  return typeof Node !== 'undefined' && value instanceof Node;
}

/** Shows a DOM node: Plot figures and elements are appended as they are. */
export function renderNode(node: Node): Node {
  return node;
}
