import * as tf from '@tensorflow/tfjs';

/** Options of the zero-padding shortcut layer. */
export interface ZeroPadShortcutArgs {
  /** Spatial subsampling stride. */
  strides: number;
  /** Output channels (at least the input's). */
  channels: number;
  /** Layer name. */
  name?: string;
}

/**
 * Option A shortcut of He et al. 2015 (§4.2, CIFAR): parameter-free. It subsamples by taking every
 * `strides`-th pixel (x[:, ::s, ::s, :]) and pads the new channels with zeros, split evenly before and
 * after the existing ones as in the common CIFAR implementations.
 */
export class ZeroPadShortcut extends tf.layers.Layer {
  static className = 'ZeroPadShortcut';
  readonly strides: number;
  readonly channels: number;

  constructor(args: ZeroPadShortcutArgs) {
    super(args);
    this.strides = args.strides;
    this.channels = args.channels;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, h, w] = inputShape as tf.Shape;
    const sub = (n: number | null) => (n == null ? null : Math.ceil(n / this.strides));
    return [batch, sub(h), sub(w), this.channels];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      // A 1×1 average pool with stride s is exactly x[:, ::s, ::s, :] and, unlike strided slicing, has a
      // gradient in TF.js.
      const sub = this.strides > 1 ? tf.avgPool(x, 1, this.strides, 'valid') : x;
      const extra = this.channels - x.shape[3];
      const before = Math.floor(extra / 2);
      return tf.pad(sub, [
        [0, 0],
        [0, 0],
        [0, 0],
        [before, extra - before],
      ]);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), strides: this.strides, channels: this.channels };
  }
}
tf.serialization.registerClass(ZeroPadShortcut);
