import type { ResidualUnitRecord, ResNetV2BlockRecord, VggBlockRecord } from '../models/blockRecords.ts';
import { placementOf } from '../models/activationVariants.ts';
import { RESIDUAL_UNIT_DEFAULTS } from '../models/residualUnit.ts';
import type { Architecture, ArchitectureNode, FeatureShape } from './architecture.ts';

/** One module of the generated model: its attribute path, its constructor and its output shape. */
interface ModuleItem {
  path: string[];
  expr: string;
  outputShape: FeatureShape;
}

/** A level of the module tree: a module, or an `nn.Sequential` of modules sharing a name prefix. */
type Entry = { name: string; expr: string; outputShape: FeatureShape } | { name: string; children: Entry[] };

/** Python's spelling of a number: `1e-5` → `1e-05`, `-6` → `-6.0` when it is a float option. */
function pyNumber(value: number, float = false): string {
  if (Number.isInteger(value) && !float) return String(value);
  if (Number.isInteger(value)) return `${value}.0`;
  const text = String(value);
  const exp = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (exp) return `${exp[1]}e${exp[2]}${exp[3].padStart(2, '0')}`;
  return text;
}

const pyBool = (value: boolean) => (value ? 'True' : 'False');
const pyString = (value: string) => JSON.stringify(value);
/** The library's camelCase option values in Python's snake_case: `exclusiveGating` → `exclusive_gating`. */
export const snakeCase = (value: string) => value.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** PyTorch's BN momentum from TF's: the weight of the new batch statistic, 1 − TF's. */
const torchMomentum = (tfMomentum: number) => Number((1 - tfMomentum).toPrecision(12));

/** Shape comment in PyTorch's layout: [h, w, c] → [batch, c, h, w]. */
function shapeComment(shape: FeatureShape): string {
  const dims = shape.length === 3 ? [shape[2], shape[0], shape[1]] : shape;
  return `[batch, ${dims.join(', ')}]`;
}

/** The block class a residual unit becomes, and its arguments beyond the defaults. */
function residualUnitExpr(r: ResidualUnitRecord, inChannels: number): string {
  const preact = r.activation === 'fullPreactivation';
  const className = `${preact ? 'PreAct' : ''}${r.branch === 'bottleneck' ? 'Bottleneck' : preact ? 'Block' : 'BasicBlock'}`;
  const args = [String(inChannels), String(r.filters)];
  if (r.strides !== 1) args.push(`stride=${r.strides}`);
  const d = RESIDUAL_UNIT_DEFAULTS;
  // The Python classes' defaults: PreActBottleneck puts the stride on the first 1×1, as the authors' code.
  const defaultPlacement = preact ? 'paper' : 'torchvision';
  if (r.branch === 'bottleneck' && r.stridePlacement !== defaultPlacement)
    args.push(`stride_placement=${pyString(r.stridePlacement)}`);
  if (!preact && r.activation !== d.activation) args.push(`activation=${pyString(snakeCase(r.activation))}`);
  if (r.shortcut !== d.shortcut) args.push(`shortcut=${pyString(snakeCase(r.shortcut))}`);
  const changesShape = r.strides !== 1 || inChannels !== (r.branch === 'bottleneck' ? 4 : 1) * r.filters;
  if (changesShape && !r.plain && r.downsample !== d.downsample)
    args.push(`downsample=${pyString(snakeCase(r.downsample))}`);
  if (r.plain) args.push('plain=True');
  const { isPreactivation } = placementOf(r.activation);
  // Only a pre-activation unit activates its input; elsewhere skipPreactivation changes nothing.
  if (r.skipPreactivation && isPreactivation) args.push('skip_preactivation=True');
  if (r.useBias) args.push('bias=True');
  if (r.projectionBatchNorm !== !isPreactivation) args.push(`projection_bn=${pyBool(r.projectionBatchNorm)}`);
  if (r.shortcut === 'constantScaling') {
    if (r.shortcutScale !== d.shortcutScale) args.push(`shortcut_scale=${pyNumber(r.shortcutScale, true)}`);
    if (r.scaleResidual !== d.scaleResidual) args.push(`scale_residual=${pyBool(r.scaleResidual)}`);
  }
  if ((r.shortcut === 'exclusiveGating' || r.shortcut === 'shortcutOnlyGating') && r.gateBias !== d.gateBias)
    args.push(`gate_bias=${pyNumber(r.gateBias, true)}`);
  if (r.shortcut === 'dropout' && r.dropoutRate !== d.dropoutRate)
    args.push(`dropout_rate=${pyNumber(r.dropoutRate, true)}`);
  if (r.bnEpsilon !== d.bnEpsilon) args.push(`bn_eps=${pyNumber(r.bnEpsilon, true)}`);
  if (r.zeroInitResidual) args.push('zero_init_residual=True');
  return `${className}(${args.join(', ')})`;
}

function resnetV2BlockExpr(r: ResNetV2BlockRecord, inChannels: number): string {
  const args = [String(inChannels), String(r.filters)];
  if (r.strides !== 1) args.push(`stride=${r.strides}`);
  if (r.convShortcut) args.push('conv_shortcut=True');
  if (r.bnEpsilon !== 1.001e-5) args.push(`bn_eps=${pyNumber(r.bnEpsilon, true)}`);
  if (torchMomentum(r.bnMomentum) !== 0.01) args.push(`bn_momentum=${pyNumber(torchMomentum(r.bnMomentum))}`);
  return `ResNetV2Block(${args.join(', ')})`;
}

function vggBlockExpr(r: VggBlockRecord, inChannels: number): string {
  return `VGGBlock(${inChannels}, ${r.numConvs}, ${r.channels}${r.useBias ? '' : ', bias=False'})`;
}

const ACTIVATION_MODULES: Record<string, (rank: number) => string> = {
  linear: () => 'nn.Identity()',
  relu: () => 'nn.ReLU()',
  sigmoid: () => 'nn.Sigmoid()',
  tanh: () => 'nn.Tanh()',
  softmax: (rank) => (rank === 1 ? 'nn.Softmax(dim=1)' : 'nn.Softmax2d()'),
};

function activationModule(activation: string, rank: number, layer: string): string {
  const make = ACTIVATION_MODULES[activation];
  if (!make) {
    const known = Object.keys(ACTIVATION_MODULES).join(', ');
    throw new Error(
      `cannot export layer ${JSON.stringify(layer)}: activation ${JSON.stringify(activation)} (the exporter knows ${known})`,
    );
  }
  return make(rank);
}

const square = (value: unknown, what: string, layer: string): number => {
  const [a, b] = Array.isArray(value) ? (value as number[]) : [value as number, value as number];
  if (a !== b)
    throw new Error(`cannot export layer ${JSON.stringify(layer)}: a ${a}×${b} ${what} (expected square)`);
  return a;
};

/** The PyTorch modules one layer becomes: itself, then its fused activation if it has one. */
function layerItems(node: Extract<ArchitectureNode, { kind: 'layer' }>): ModuleItem[] {
  const c = node.config as Record<string, unknown>;
  const name = node.path.join('/');
  const inChannels = node.inputShape[node.inputShape.length - 1];
  const item = (expr: string): ModuleItem => ({ path: node.path, expr, outputShape: node.outputShape });
  const withActivation = (main: ModuleItem): ModuleItem[] => {
    const activation = String(c.activation ?? 'linear');
    if (activation === 'linear') return [main];
    const last = node.path[node.path.length - 1];
    const expr = activationModule(activation, node.outputShape.length, name);
    return [
      main,
      { path: [...node.path.slice(0, -1), `${last}_${activation}`], expr, outputShape: node.outputShape },
    ];
  };
  const channelsLast = (c.dataFormat ?? 'channelsLast') === 'channelsLast';
  if (!channelsLast)
    throw new Error(`cannot export layer ${JSON.stringify(name)}: channelsFirst (expected channelsLast)`);
  switch (node.className) {
    case 'Conv2D': {
      const k = square(c.kernelSize, 'kernel', name);
      const s = square(c.strides, 'stride', name);
      if (square(c.dilationRate ?? 1, 'dilation', name) !== 1)
        throw new Error(`cannot export layer ${JSON.stringify(name)}: dilated convolution`);
      const filters = Number(c.filters);
      const bias = c.useBias === true;
      const expr =
        c.padding === 'same'
          ? `conv2d(${inChannels}, ${filters}, ${k}${s !== 1 ? `, stride=${s}` : ''}${bias ? ', bias=True' : ''})`
          : `nn.Conv2d(${inChannels}, ${filters}, ${k}${s !== 1 ? `, stride=${s}` : ''}${bias ? '' : ', bias=False'})`;
      return withActivation(item(expr));
    }
    case 'Dense': {
      if (node.inputShape.length !== 1)
        throw new Error(
          `cannot export layer ${JSON.stringify(name)}: a Dense on a ${node.inputShape.length}-d input (expected flat features)`,
        );
      const bias = c.useBias !== false;
      return withActivation(
        item(`nn.Linear(${inChannels}, ${Number(c.units)}${bias ? '' : ', bias=False'})`),
      );
    }
    case 'BatchNormalization': {
      const axis = Number(c.axis ?? -1);
      if (axis !== -1 && axis !== node.inputShape.length)
        throw new Error(
          `cannot export layer ${JSON.stringify(name)}: BN over axis ${axis} (expected the channels, -1)`,
        );
      if (c.center === false || c.scale === false)
        throw new Error(`cannot export layer ${JSON.stringify(name)}: BN without its β or γ`);
      const args = [String(inChannels)];
      const eps = Number(c.epsilon ?? 1e-3);
      if (eps !== 1e-5) args.push(`eps=${pyNumber(eps, true)}`);
      const momentum = torchMomentum(Number(c.momentum ?? 0.99));
      if (momentum !== 0.1) args.push(`momentum=${pyNumber(momentum)}`);
      return [item(`nn.BatchNorm${node.inputShape.length === 3 ? '2d' : '1d'}(${args.join(', ')})`)];
    }
    case 'ReLU':
      if (c.maxValue != null)
        throw new Error(`cannot export layer ${JSON.stringify(name)}: a ReLU with maxValue`);
      return [item('nn.ReLU()')];
    case 'Activation':
      return [item(activationModule(String(c.activation), node.outputShape.length, name))];
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const k = square(c.poolSize, 'pool', name);
      const s = square(c.strides ?? k, 'stride', name);
      const isMax = node.className === 'MaxPooling2D';
      if (c.padding === 'same') {
        if (isMax) return [item(`max_pool2d(${k}, ${s})`)];
        if (k !== 1)
          throw new Error(`cannot export layer ${JSON.stringify(name)}: average pooling with 'same' padding`);
      }
      return [item(`nn.${isMax ? 'Max' : 'Avg'}Pool2d(${k}, stride=${s})`)];
    }
    case 'GlobalAveragePooling2D':
      return [item('GlobalAvgPool()')];
    case 'Flatten':
      return [item('nn.Flatten()')];
    case 'Dropout':
      return [item(`nn.Dropout(${pyNumber(Number(c.rate), true)})`)];
  }
  throw new Error(`cannot export layer ${JSON.stringify(name)} (a ${node.className})`);
}

function nodeItems(node: ArchitectureNode): ModuleItem[] {
  if (node.kind === 'layer') return layerItems(node);
  const inChannels = node.inputShape[node.inputShape.length - 1];
  const r = node.record;
  const expr =
    r.kind === 'residualUnit'
      ? residualUnitExpr(r, inChannels)
      : r.kind === 'resnetV2Block'
        ? resnetV2BlockExpr(r, inChannels)
        : vggBlockExpr(r, inChannels);
  return [{ path: node.path, expr, outputShape: node.outputShape }];
}

// Groups consecutive modules by their name at `depth`: `conv1/conv`, `conv1/bn` → one `conv1` Sequential.
function groupItems(items: ModuleItem[], depth = 0): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < items.length) {
    const name = items[i].path[depth];
    let j = i;
    while (j < items.length && items[j].path[depth] === name) j++;
    const run = items.slice(i, j);
    const where = items[i].path.slice(0, depth + 1).join('/');
    if (seen.has(name))
      throw new Error(`cannot export: the layers named ${where}/… are not consecutive in the model`);
    seen.add(name);
    if (run.length === 1 && run[0].path.length === depth + 1) {
      entries.push({ name, expr: run[0].expr, outputShape: run[0].outputShape });
    } else {
      if (run.some((item) => item.path.length === depth + 1))
        throw new Error(`cannot export: ${where} is both a layer and a group of layers`);
      entries.push({ name, children: groupItems(run, depth + 1) });
    }
    i = j;
  }
  return entries;
}

function entryExpr(entry: Entry, indent: string): string {
  if ('expr' in entry) return entry.expr;
  const inner = `${indent}    `;
  const lines = entry.children.map(
    (child) => `${inner}(${pyString(child.name)}, ${entryExpr(child, inner)}),`,
  );
  return `nn.Sequential(OrderedDict([\n${lines.join('\n')}\n${indent}]))`;
}

function lastShape(entry: Entry): FeatureShape {
  return 'expr' in entry ? entry.outputShape : lastShape(entry.children[entry.children.length - 1]);
}

/** A Python class name for a model or variant name: `cifar-resnet20` → `CifarResnet20`. */
export function pythonClassName(name: string): string {
  const pascal = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Model${pascal}`;
}

/**
 * Returns the source of one `nn.Module` class computing the same function as the architecture: one
 * attribute per top-level block or layer group, named as the TF.js layers, and a forward pass with the
 * shape of every step.
 */
export function modelClassSource(className: string, architecture: Architecture, docstring: string): string {
  const entries = groupItems(architecture.nodes.flatMap(nodeItems));
  const [h, w, c] = architecture.inputShape;
  const classes = architecture.nodes.length
    ? lastShape(entries[entries.length - 1])
    : architecture.inputShape;
  const init = entries.map((e) => `        self.${e.name} = ${entryExpr(e, '        ')}`);
  const forward = entries.map((e) => `        x = self.${e.name}(x)  # ${shapeComment(lastShape(e))}`);
  return [
    `class ${className}(nn.Module):`,
    `    """${docstring.replace(/"""/g, "'''")}"""`,
    '',
    `    input_shape = (${c}, ${h}, ${w})`,
    `    num_classes = ${classes[classes.length - 1]}`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '',
    `    def forward(self, x):  # ${shapeComment(architecture.inputShape)}`,
    ...forward,
    '        return x',
  ].join('\n');
}

/** The names of `blocks` (classes and functions at its top level) that generated code calls, sorted. */
export function usedNames(source: string, blocks: string): string[] {
  const defined = [...blocks.matchAll(/^(?:class|def) ([A-Za-z_]\w*)/gm)].map((m) => m[1]);
  return defined.filter((name) => new RegExp(`\\b${name}\\(`).test(source)).sort();
}
