// The SVG drawing of a block diagram, made at build time for <BlockDiagram> (it builds strings, not DOM,
// and lives beside the component: the pure library computes models, it does not draw them).
import type * as tf from '@tensorflow/tfjs';

/** One layer of a model's graph, reduced to what a diagram shows. */
export interface DiagramNode {
  name: string;
  /** TF.js class name, e.g. `Conv2D`, `BatchNormalization`, `Add`. */
  className: string;
  /** Short label in paper vocabulary, e.g. `3×3 conv, 64, /2`. */
  label: string;
  /** Drawing style: weights, normalisation, activation, merge operation or other. */
  kind: 'input' | 'conv' | 'norm' | 'act' | 'merge' | 'other';
  /** Names of the layers feeding this one. */
  inputs: string[];
}

/** Options of {@link drawBlockDiagram}. */
export interface BlockDiagramOptions {
  /** Accessible title of the figure. Default: the model's name. */
  title?: string;
  /** Width of a layer box in pixels. Default 168. */
  boxWidth?: number;
  /** Prefix for the SVG's element ids, unique per page. Default: `diagram-` + the model's name. */
  id?: string;
}

type LayerConfig = Record<string, unknown>;

const pair = (value: unknown): number => (Array.isArray(value) ? Number(value[0]) : Number(value));

/** Describes one layer in paper vocabulary ("3×3 conv, 64, /2", "BN", "ReLU", "+"). */
export function describeLayer(className: string, config: LayerConfig): Pick<DiagramNode, 'label' | 'kind'> {
  switch (className) {
    case 'InputLayer':
      return { label: 'x', kind: 'input' };
    case 'Conv2D': {
      const k = pair(config.kernelSize);
      const s = pair(config.strides);
      const sigmoid = config.activation === 'sigmoid' ? ', σ' : '';
      return { label: `${k}×${k} conv, ${config.filters}${s > 1 ? `, /${s}` : ''}${sigmoid}`, kind: 'conv' };
    }
    case 'Dense':
      return { label: `fc ${config.units}`, kind: 'conv' };
    case 'BatchNormalization':
      return { label: 'BN', kind: 'norm' };
    case 'ReLU':
      return { label: 'ReLU', kind: 'act' };
    case 'Activation':
      return {
        label: String(config.activation) === 'sigmoid' ? 'sigmoid' : String(config.activation),
        kind: 'act',
      };
    case 'Add':
      return { label: '+', kind: 'merge' };
    case 'Multiply':
      return { label: '×', kind: 'merge' };
    case 'MaxPooling2D': {
      const p = pair(config.poolSize);
      const s = pair(config.strides ?? config.poolSize);
      return { label: `${p}×${p} max-pool${s > 1 ? `, /${s}` : ''}`, kind: 'other' };
    }
    case 'Scale':
      return { label: `× ${config.scale}`, kind: 'other' };
    case 'GateCombine':
      return { label: config.mode === 'exclusive' ? '(1−g)·x + g·F' : '(1−g)·x + F', kind: 'merge' };
    case 'ShortcutDropout':
      return { label: `dropout ${config.rate}, no rescaling`, kind: 'other' };
    case 'ZeroPadShortcut':
      return { label: `subsample /${config.strides}, zero-pad to ${config.channels}`, kind: 'other' };
    case 'GlobalAveragePooling2D':
      return { label: 'global avg-pool', kind: 'other' };
    default:
      return { label: className, kind: 'other' };
  }
}

/** Reads a functional model's graph: its layers in topological order with their inputs. */
export function readModelGraph(model: tf.LayersModel): DiagramNode[] {
  return model.layers.map((layer) => {
    const inputs = layer.inboundNodes.flatMap((node) => node.inboundLayers.map((inbound) => inbound.name));
    const className = layer.getClassName();
    return {
      name: layer.name,
      className,
      inputs,
      ...describeLayer(className, layer.getConfig() as LayerConfig),
    };
  });
}

interface Placed extends DiagramNode {
  rank: number;
  column: number;
}

/** Places nodes: row = longest path from the input, column 0 = the longest input→output path. */
export function layoutGraph(nodes: DiagramNode[]): Placed[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const rank = new Map<string, number>();
  for (const node of nodes) {
    rank.set(node.name, Math.max(-1, ...node.inputs.map((input) => rank.get(input) ?? 0)) + 1);
  }
  // Walk back from the output along the deepest input: that chain is the main (residual) path.
  const main = new Set<string>();
  let current: DiagramNode | undefined = nodes[nodes.length - 1];
  while (current) {
    main.add(current.name);
    const deepest: string | undefined = [...current.inputs].sort((a, b) => rank.get(b)! - rank.get(a)!)[0];
    current = deepest === undefined ? undefined : byName.get(deepest);
  }
  const taken = new Set<string>();
  return nodes.map((node) => {
    const r = rank.get(node.name)!;
    let column = 0;
    if (!main.has(node.name)) {
      column = 1;
      while (taken.has(`${r}:${column}`)) column++;
    }
    taken.add(`${r}:${column}`);
    return { ...node, rank: r, column };
  });
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fills: Record<DiagramNode['kind'], string> = {
  input: 'var(--diagram-input, #e8e8e8)',
  conv: 'var(--diagram-conv, #cfe2f7)',
  norm: 'var(--diagram-norm, #f7e7bd)',
  act: 'var(--diagram-act, #d3efd6)',
  merge: 'var(--diagram-merge, #ffffff)',
  other: 'var(--diagram-other, #eadcf5)',
};

/**
 * Draws a block (or small model) as an SVG string from its real TF.js graph: the main path runs down the
 * left column and shortcuts/gates run beside it, so the figure cannot drift from the code.
 */
export function drawBlockDiagram(model: tf.LayersModel, options: BlockDiagramOptions = {}): string {
  const boxWidth = options.boxWidth ?? 168;
  const boxHeight = 30;
  const rowHeight = 50;
  const columnWidth = boxWidth + 40;
  const radius = 13;
  const nodes = layoutGraph(readModelGraph(model));
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const columns = Math.max(...nodes.map((node) => node.column)) + 1;
  const rows = Math.max(...nodes.map((node) => node.rank)) + 1;
  const centreX = (node: Placed) => 20 + node.column * columnWidth + boxWidth / 2;
  const centreY = (node: Placed) => 20 + node.rank * rowHeight + boxHeight / 2;
  // Short merges (+, ×) are drawn as circles; gate combinations with a formula get a box.
  const isCircle = (node: Placed) => node.kind === 'merge' && node.label.length <= 2;
  const halfHeight = (node: Placed) => (isCircle(node) ? radius : boxHeight / 2);
  const halfWidth = (node: Placed) => (isCircle(node) ? radius : boxWidth / 2);
  const laneX = 20 + columns * columnWidth - 20;
  const id = (options.id ?? `diagram-${model.name}`).replace(/[^\w-]/g, '-');

  const edges: string[] = [];
  for (const node of nodes) {
    for (const inputName of node.inputs) {
      const from = byName.get(inputName)!;
      const [x1, y1] = [centreX(from), centreY(from) + halfHeight(from)];
      const [x2, y2] = [centreX(node), centreY(node) - halfHeight(node)];
      let path: string;
      if (node.rank - from.rank === 1) {
        const midY = (y1 + y2) / 2;
        path = x1 === x2 ? `M${x1},${y1} V${y2}` : `M${x1},${y1} V${midY} H${x2} V${y2}`;
      } else {
        // Skips rows: route around everything in a lane to the right, then enter the target from its side.
        const turnY = y1 + (rowHeight - boxHeight) / 2;
        const targetY = centreY(node);
        const sideX = centreX(node) + halfWidth(node);
        path = `M${x1},${y1} V${turnY} H${laneX} V${targetY} H${sideX}`;
      }
      edges.push(
        `<path d="${path}" fill="none" stroke="currentColor" stroke-width="1.4" marker-end="url(#${id}-arrow)"/>`,
      );
    }
  }

  const shapes = nodes.map((node) => {
    const x = centreX(node);
    const y = centreY(node);
    const label = escapeXml(node.label);
    const title = `<title>${escapeXml(`${node.name} (${node.className})`)}</title>`;
    if (isCircle(node)) {
      return `<g>${title}<circle cx="${x}" cy="${y}" r="${radius}" fill="${fills.merge}" stroke="currentColor" stroke-width="1.4"/><text x="${x}" y="${y + 5}" text-anchor="middle" font-size="16" fill="#111">${label}</text></g>`;
    }
    return `<g>${title}<rect x="${x - boxWidth / 2}" y="${y - boxHeight / 2}" width="${boxWidth}" height="${boxHeight}" rx="6" fill="${fills[node.kind]}" stroke="currentColor" stroke-width="1.2"/><text x="${x}" y="${y + 4.5}" text-anchor="middle" font-size="13" fill="#111">${label}</text></g>`;
  });

  const width = laneX + 20;
  const height = 20 + rows * rowHeight;
  const title = escapeXml(options.title ?? model.name);
  const description = escapeXml(
    nodes.map((node) => `${node.label}${node.column > 0 ? ' (beside the main path)' : ''}`).join(', then '),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="block-diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, sans-serif">`,
    `<title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>`,
    ...edges,
    ...shapes,
    `</svg>`,
  ].join('');
}
