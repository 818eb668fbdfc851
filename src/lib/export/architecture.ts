import type * as tf from '@tensorflow/tfjs';
import { appliedBlockOf, type BlockRecord } from '../models/blockRecords.ts';

/** A shape without its batch dimension, channels last as in TF.js: [h, w, c] or [features]. */
export type FeatureShape = number[];

/** One step of a model's chain: a block the library built, or a single TF.js layer. */
export type ArchitectureNode =
  | {
      kind: 'block';
      /** The block's name prefix split at `/`, as Python identifiers: `conv3_1` → ['conv3_1']. */
      path: string[];
      record: BlockRecord;
      inputShape: FeatureShape;
      outputShape: FeatureShape;
    }
  | {
      kind: 'layer';
      path: string[];
      /** The TF.js class name, e.g. `Conv2D`. */
      className: string;
      config: tf.serialization.ConfigDict;
      inputShape: FeatureShape;
      outputShape: FeatureShape;
      /** For a Dense layer fed by a Flatten (through layers that keep the order): the [h, w, c] flattened. */
      flattenedFrom?: FeatureShape;
    };

/** A model as the PyTorch exporter sees it: a chain of blocks and layers from input to output. */
export interface Architecture {
  /** The TF.js model's name. */
  name: string;
  /** Input [height, width, channels]. */
  inputShape: FeatureShape;
  nodes: ArchitectureNode[];
  /** Python path of every layer with weights, by TF.js layer name (`conv3_1/conv2` → `conv3_1.conv2`). */
  pythonNames: Map<string, string>;
  /** Fan of the Kaiming-normal conv initialiser, or null when the model's convs use another initialiser. */
  convMode: 'fan_in' | 'fan_out' | null;
}

/** The layer classes the exporter turns into PyTorch modules outside blocks. */
export const EXPORTABLE_LAYERS = [
  'Conv2D',
  'Dense',
  'BatchNormalization',
  'ReLU',
  'Activation',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Dropout',
] as const;

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** Turns a TF.js layer name into a Python attribute path: `conv3_1/conv2` → ['conv3_1', 'conv2']. */
export function pythonPath(layerName: string): string[] {
  return layerName.split('/').map((part) => {
    let id = part.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
    return PYTHON_KEYWORDS.has(id) ? `${id}_` : id;
  });
}

const withoutBatch = (shape: (number | null)[]): FeatureShape => shape.slice(1) as number[];

// Layers a Flatten's element order passes through unchanged on its way to a Dense layer.
const ORDER_KEEPING = new Set(['Dropout', 'ReLU', 'Activation']);

/**
 * Describes a TF.js model as a chain of the library's blocks (recorded when they were built, so their
 * options are data) and single layers, from input to output. Throws `cannot export …` naming the layer
 * when the model is not such a chain or holds a layer the exporter has no PyTorch module for.
 */
export function describeArchitecture(model: tf.LayersModel): Architecture {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(
      `cannot export ${model.name}: it has ${model.inputs.length} inputs and ${model.outputs.length} outputs (expected one of each)`,
    );
  }
  const input = model.inputs[0];
  const nodes: ArchitectureNode[] = [];
  let t = model.outputs[0];
  while (t !== input) {
    const block = appliedBlockOf(t);
    if (block) {
      nodes.push({
        kind: 'block',
        path: pythonPath(block.record.name),
        record: block.record,
        inputShape: withoutBatch(block.input.shape),
        outputShape: withoutBatch(t.shape),
      });
      t = block.input;
      continue;
    }
    const layer = t.sourceLayer as tf.layers.Layer;
    const className = layer.getClassName();
    const inbound = layer.inboundNodes[t.nodeIndex].inputTensors;
    if (inbound.length !== 1) {
      throw new Error(
        `cannot export layer ${JSON.stringify(layer.name)} (a ${className} with ${inbound.length} inputs): outside the library's blocks the exporter takes a chain of single-input layers`,
      );
    }
    if (!(EXPORTABLE_LAYERS as readonly string[]).includes(className)) {
      throw new Error(
        `cannot export layer ${JSON.stringify(layer.name)} (a ${className}): the exporter knows the library's blocks and ${EXPORTABLE_LAYERS.join(', ')}`,
      );
    }
    nodes.push({
      kind: 'layer',
      path: pythonPath(layer.name),
      className,
      config: layer.getConfig(),
      inputShape: withoutBatch(inbound[0].shape),
      outputShape: withoutBatch(t.shape),
    });
    t = inbound[0];
  }
  nodes.reverse();
  markFlattenedDense(nodes);
  return {
    name: model.name,
    inputShape: withoutBatch(input.shape),
    nodes,
    pythonNames: pythonNamesOf(model),
    convMode: convModeOf(model),
  };
}

function markFlattenedDense(nodes: ArchitectureNode[]): void {
  let flattened: FeatureShape | undefined;
  for (const node of nodes) {
    if (node.kind === 'layer' && node.className === 'Flatten') flattened = node.inputShape;
    else if (node.kind === 'layer' && node.className === 'Dense' && flattened) {
      if (flattened.length === 3 && flattened[0] * flattened[1] > 1) node.flattenedFrom = flattened;
      flattened = undefined;
    } else if (node.kind !== 'layer' || !ORDER_KEEPING.has(node.className)) flattened = undefined;
  }
}

function pythonNamesOf(model: tf.LayersModel): Map<string, string> {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const python = pythonPath(layer.name).join('.');
    const other = owners.get(python);
    if (other !== undefined) {
      throw new Error(
        `cannot export layers ${JSON.stringify(other)} and ${JSON.stringify(layer.name)}: both would be ${python} in Python (rename one)`,
      );
    }
    owners.set(python, layer.name);
    names.set(layer.name, python);
  }
  return names;
}

function convModeOf(model: tf.LayersModel): Architecture['convMode'] {
  const modes = new Set<string | null>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const init = layer.getConfig().kernelInitializer as
      { className?: string; config?: { mode?: string } } | undefined;
    if (init?.className === 'Zeros') continue; // a branch that starts at zero: set by its unit
    modes.add(init?.className === 'KaimingNormal' ? (init.config?.mode ?? null) : null);
  }
  if (modes.size !== 1) return modes.size === 0 ? 'fan_out' : null;
  const [mode] = modes;
  return mode === 'fanIn' ? 'fan_in' : mode === 'fanOut' ? 'fan_out' : null;
}
