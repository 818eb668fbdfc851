import * as tf from '@tensorflow/tfjs';

/** Options of the constant-scaling layer. */
export interface ScaleArgs {
  /** The constant λ. */
  scale: number;
  /** Layer name. */
  name?: string;
}

/** Multiplies its input by a constant λ (the constant-scaling shortcut, Fig. 2(b) of He et al. 2016). */
export class Scale extends tf.layers.Layer {
  static className = 'Scale';
  readonly scale: number;

  constructor(args: ScaleArgs) {
    super(args);
    this.scale = args.scale;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.scale));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}
tf.serialization.registerClass(Scale);
