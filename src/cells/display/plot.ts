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

/**
 * The width to draw a chart at: its container's content width (Plot draws at a fixed width, 640 by
 * default, which a phone then scales down), within 280–960. An output still empty may be hidden, so
 * the nearest ancestor with a width stands in for it, less the output's own padding.
 */
export function chartWidth(container: HTMLElement): number {
  const padding = (element: Element) => {
    if (typeof getComputedStyle !== 'function') return 0;
    const style = getComputedStyle(element);
    return (parseFloat(style.paddingLeft) || 0) + (parseFloat(style.paddingRight) || 0);
  };
  let sized: HTMLElement | null = container;
  while (sized && !(sized.clientWidth > 0)) sized = sized.parentElement;
  if (!sized) return 640;
  const inner = sized.clientWidth - padding(sized) - (sized === container ? 0 : padding(container));
  return Math.round(Math.min(Math.max(inner, 280), 960));
}

/**
 * Observable Plot as a cell sees it: `Plot.plot` draws at the width of the cell's output unless the
 * cell sets one, so a chart's text keeps its size on a phone instead of being scaled down with it.
 */
export function sizedPlot<P extends { plot: (options?: object) => unknown }>(
  Plot: P,
  output: HTMLElement,
): P {
  return { ...Plot, plot: (options: object = {}) => Plot.plot({ width: chartWidth(output), ...options }) };
}
