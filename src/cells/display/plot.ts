/** Whether a value is a DOM node (a Plot figure, an SVG, an element a cell built) to show as is. */
export function isNode(value: unknown): value is Node {
  return typeof Node !== 'undefined' && value instanceof Node;
}

/**
 * Shows a DOM node: Plot figures and elements are appended as they are, except that Plot's labelled
 * SVG groups get `role="group"`, without which `aria-label` is not allowed on a `<g>` (axe:
 * aria-prohibited-attr) and screen readers ignore the label.
 */
export function renderNode(node: Node): Node {
  labelPlotGroups(node);
  return node;
}

/** Gives each `<g aria-label>` without a role the role `group`, so its label is valid and announced. */
export function labelPlotGroups(node: Node): void {
  if (!(node instanceof Element)) return;
  for (const group of node.querySelectorAll('g[aria-label]:not([role])')) group.setAttribute('role', 'group');
}
