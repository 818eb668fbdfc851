import * as tf from '@tensorflow/tfjs';

/** How the gate g mixes the shortcut s and the residual F (He et al. 2016, Fig. 2(c) and 2(d)). */
export type GateMode = 'exclusive' | 'shortcutOnly';

/** Options of the gate-combine layer. */
export interface GateCombineArgs {
  /** `'exclusive'`: (1 − g)·s + g·F. `'shortcutOnly'`: (1 − g)·s + F. */
  mode: GateMode;
  /** Layer name. */
  name?: string;
}

/** Combines [shortcut, residual, gate] element-wise as a gated residual unit does. */
export class GateCombine extends tf.layers.Layer {
  static className = 'GateCombine';
  readonly mode: GateMode;

  constructor(args: GateCombineArgs) {
    super(args);
    this.mode = args.mode;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [shortcut, residual, gate] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const carried = tf.mul(tf.sub(1, gate), shortcut);
      return tf.add(carried, this.mode === 'exclusive' ? tf.mul(gate, residual) : residual);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
tf.serialization.registerClass(GateCombine);
