import type * as tf from '@tensorflow/tfjs';
import { formatValue } from './options.ts';

/** One layer of a trace. Shapes include the batch; parameters and MACs are for the layer alone. */
export interface LayerTrace {
  /** Layer name, e.g. `conv3_1/conv2`. */
  name: string;
  /** TF.js class name, e.g. `Conv2D`, `BatchNormalization`. */
  type: string;
  /** Block the layer belongs to: its name up to the last `/` (e.g. `conv3_1`), or its own name. */
  block: string;
  /** Output shape in TF order [N, H, W, C] (or [N, features]). */
  outputShape: number[];
  /** Output shape in PyTorch order [N, C, H, W], as the seed articles print it. */
  outputShapeTorch: number[];
  /** Trainable parameters (PyTorch's `parameters()`: weights, biases, BN γ and β). */
  trainable: number;
  /** Non-trainable parameters (PyTorch's buffers: BN moving mean and variance). */
  nonTrainable: number;
  /** Multiply-accumulates for one input sample. */
  macs: number;
}

/** The layers of one block, summed. */
export interface BlockTrace {
  /** Block name, e.g. `conv1`, `conv3_1`, `classifier`. */
  name: string;
  /** Names of its layers, in graph order. */
  layers: string[];
  /** Output shape of its last layer, TF order. */
  outputShape: number[];
  /** Output shape of its last layer, PyTorch order. */
  outputShapeTorch: number[];
  /** Trainable parameters. */
  trainable: number;
  /** Non-trainable parameters. */
  nonTrainable: number;
  /** Multiply-accumulates for one input sample. */
  macs: number;
}

/** A model's trace: plain JSON. */
export interface ModelTrace {
  /** Model name. */
  model: string;
  /** Input shape [N, H, W, C]. */
  input: number[];
  /** Input shape [N, C, H, W]. */
  inputTorch: number[];
  /** Every layer, in graph (topological) order. */
  layers: LayerTrace[];
  /** Layers grouped into blocks, in order of first appearance. */
  blocks: BlockTrace[];
  /** Parameter totals. */
  params: { trainable: number; nonTrainable: number; total: number };
  /** Multiply-accumulates for one input sample. */
  macs: number;
}

/**
 * Traces a functional model: per-layer and per-block output shapes (TF and PyTorch order), trainable and
 * non-trainable parameters, and multiply-accumulates (MACs). Shapes are propagated symbolically with
 * each layer's `computeOutputShape`, so nothing is run. `inputShape` is [H, W, C] or [N, H, W, C]
 * (default: the model's own input with N = 1).
 *
 * MACs count what the papers' "FLOPs (multiply-adds)" count: a conv costs Hout·Wout·k·k·Cin·Cout (a
 * depthwise conv Hout·Wout·k·k·Cin·multiplier), a dense layer in·out. Biases, BN, ReLU, pooling,
 * additions, gates and scalings are not counted; they are a small fraction and the papers omit them.
 */
export function traceModel(model: tf.LayersModel, inputShape?: readonly number[]): ModelTrace {
  const input = resolveInputShape(model, inputShape);
  const shapes = new Map<string, number[]>();
  const layers: LayerTrace[] = [];
  for (const layer of model.layers) {
    const node = layer.inboundNodes[0];
    const inShapes = node.inboundLayers.map((l) => shapes.get(l.name) as number[]);
    let outputShape: number[];
    if (inShapes.length === 0) {
      outputShape = input;
    } else {
      const computed = layer.computeOutputShape(inShapes.length === 1 ? inShapes[0] : inShapes);
      outputShape = (computed as (number | null)[]).map((d, i) => (i === 0 ? input[0] : (d ?? 0)));
    }
    shapes.set(layer.name, outputShape);
    layers.push({
      name: layer.name,
      type: layer.getClassName(),
      block: blockOf(layer.name),
      outputShape,
      outputShapeTorch: toTorchOrder(outputShape),
      trainable: countWeights(layer.trainableWeights),
      nonTrainable: countWeights(layer.nonTrainableWeights),
      macs: countMacs(layer, inShapes[0], outputShape),
    });
  }
  const trainable = sum(layers.map((l) => l.trainable));
  const nonTrainable = sum(layers.map((l) => l.nonTrainable));
  return {
    model: model.name,
    input,
    inputTorch: toTorchOrder(input),
    layers,
    blocks: groupBlocks(layers),
    params: { trainable, nonTrainable, total: trainable + nonTrainable },
    macs: sum(layers.map((l) => l.macs)),
  };
}

/** Block of a layer name: everything before the last `/`, or the name itself. */
export function blockOf(layerName: string): string {
  const cut = layerName.lastIndexOf('/');
  return cut < 0 ? layerName : layerName.slice(0, cut);
}

/** Reorders an NHWC shape to NCHW; other ranks are returned as they are. */
export function toTorchOrder(shape: readonly number[]): number[] {
  return shape.length === 4 ? [shape[0], shape[3], shape[1], shape[2]] : [...shape];
}

function resolveInputShape(model: tf.LayersModel, inputShape?: readonly number[]): number[] {
  const own = model.inputs[0].shape.slice(1);
  const given = inputShape ?? own;
  const full = given.length === own.length ? [1, ...given] : [...given];
  const valid =
    full.length === own.length + 1 &&
    full.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
  if (!valid) {
    throw new Error(
      `invalid inputShape: ${formatValue(inputShape)} (expected [${own.length === 3 ? 'H, W, C' : '…'}] or [N, …] of positive integers)`,
    );
  }
  return full as number[];
}

function countWeights(weights: { shape: readonly (number | null)[] }[]): number {
  return sum(weights.map((w) => w.shape.reduce<number>((a, b) => a * (b ?? 0), 1)));
}

function countMacs(layer: tf.layers.Layer, inShape: number[] | undefined, outShape: number[]): number {
  if (!inShape) return 0;
  const config = layer.getConfig();
  const kernel = (config.kernelSize ?? [1, 1]) as number | number[];
  const [kh, kw] = Array.isArray(kernel) ? kernel : [kernel, kernel];
  const cin = inShape[inShape.length - 1];
  const spatial = outShape.slice(1, -1).reduce((a, b) => a * b, 1);
  switch (layer.getClassName()) {
    case 'Conv2D':
      return spatial * kh * kw * cin * (config.filters as number);
    case 'DepthwiseConv2D':
      return spatial * kh * kw * cin * ((config.depthMultiplier as number) ?? 1);
    case 'SeparableConv2D': {
      const mult = (config.depthMultiplier as number) ?? 1;
      return spatial * kh * kw * cin * mult + spatial * cin * mult * (config.filters as number);
    }
    case 'Dense':
      return spatial * cin * (config.units as number);
    default:
      return 0;
  }
}

function groupBlocks(layers: LayerTrace[]): BlockTrace[] {
  const blocks = new Map<string, BlockTrace>();
  for (const l of layers) {
    let b = blocks.get(l.block);
    if (!b) {
      b = {
        name: l.block,
        layers: [],
        outputShape: [],
        outputShapeTorch: [],
        trainable: 0,
        nonTrainable: 0,
        macs: 0,
      };
      blocks.set(l.block, b);
    }
    b.layers.push(l.name);
    b.outputShape = l.outputShape;
    b.outputShapeTorch = l.outputShapeTorch;
    b.trainable += l.trainable;
    b.nonTrainable += l.nonTrainable;
    b.macs += l.macs;
  }
  return [...blocks.values()];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
