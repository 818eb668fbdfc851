import * as tf from '@tensorflow/tfjs';
import type { WeightInit } from './init.ts';

/** A symbolic feature map [batch, height, width, channels] inside a functional model. */
export type Tensor = tf.SymbolicTensor;

/** A block: a function from a feature map to a feature map, adding named layers to the graph. */
export type Block = (x: Tensor) => Tensor;

/** Options of one convolution. */
export interface ConvOptions {
  /** Output channels. */
  filters: number;
  /** Square kernel size. */
  kernelSize: number;
  /** Stride. Default 1. */
  strides?: number;
  /** Adds a bias (PyTorch's `bias=True`). Default false: a BN follows. */
  useBias?: boolean;
  /** Layer name. */
  name: string;
  /** Initialiser stream. */
  init: WeightInit;
  /** Bias initialiser value. Default 0. */
  biasValue?: number;
  /** Activation fused into the layer. Default linear. */
  activation?: 'linear' | 'sigmoid' | 'relu';
  /** Starts the kernel at zero (the last conv of a residual branch that starts at zero). Default false. */
  zeroKernel?: boolean;
}

/**
 * Adds a convolution with 'same' padding. For kernel k, padding ⌊k/2⌋ and any stride, PyTorch's output
 * size ⌊(H + 2⌊k/2⌋ − k)/s⌋ + 1 equals TF's ⌈H/s⌉ for odd k, so shapes match the PyTorch reference.
 */
export function conv(x: Tensor, o: ConvOptions): Tensor {
  const useBias = o.useBias ?? false;
  // Drawn even when the kernel starts at zero, so every other layer keeps the weights of its seed.
  const kernelInitializer = o.init.conv();
  return tf.layers
    .conv2d({
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides ?? 1,
      padding: 'same',
      useBias,
      activation: o.activation ?? 'linear',
      kernelInitializer: o.zeroKernel ? 'zeros' : kernelInitializer,
      biasInitializer: o.biasValue ? tf.initializers.constant({ value: o.biasValue }) : 'zeros',
      name: o.name,
    })
    .apply(x) as Tensor;
}

/** BN hyper-parameters; defaults are PyTorch's (ε = 1e-5, momentum 0.1, i.e. TF momentum 0.9). */
export interface BatchNormOptions {
  epsilon?: number;
  momentum?: number;
  /** Starts the scale γ at 0 instead of 1 (the last BN of a residual branch that starts at zero). Default false. */
  zeroGamma?: boolean;
}

/** Adds a batch normalisation over channels: γ, β trainable; moving mean and variance not. */
export function batchNorm(x: Tensor, name: string, o: BatchNormOptions = {}): Tensor {
  return tf.layers
    .batchNormalization({
      axis: -1,
      epsilon: o.epsilon ?? 1e-5,
      momentum: o.momentum ?? 0.9,
      gammaInitializer: o.zeroGamma ? 'zeros' : 'ones',
      name,
    })
    .apply(x) as Tensor;
}

/** Adds a ReLU. */
export function relu(x: Tensor, name: string): Tensor {
  return tf.layers.reLU({ name }).apply(x) as Tensor;
}

/** Adds an element-wise addition. */
export function add(inputs: Tensor[], name: string): Tensor {
  return tf.layers.add({ name }).apply(inputs) as Tensor;
}

/** Adds a max pool ('same' padding matches PyTorch's padding=⌊k/2⌋ for odd k; 'valid' for 2×2/2). */
export function maxPool(
  x: Tensor,
  name: string,
  poolSize: number,
  strides: number,
  padding: 'same' | 'valid',
): Tensor {
  return tf.layers.maxPooling2d({ poolSize, strides, padding, name }).apply(x) as Tensor;
}

/** Adds a global average pool: [b, h, w, c] → [b, c]. */
export function globalAvgPool(x: Tensor, name: string): Tensor {
  return tf.layers.globalAveragePooling2d({ name }).apply(x) as Tensor;
}

/** Adds a fully connected layer with PyTorch's default initialisation. */
export function dense(x: Tensor, units: number, name: string, init: WeightInit, softmax = false): Tensor {
  return tf.layers
    .dense({ units, name, kernelInitializer: init.dense(), activation: softmax ? 'softmax' : 'linear' })
    .apply(x) as Tensor;
}

/** Channels of a feature map. */
export function channelsOf(x: Tensor): number {
  return x.shape[x.shape.length - 1] as number;
}
