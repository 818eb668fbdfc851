import * as tf from '@tensorflow/tfjs';

/** Options of the shortcut dropout layer. */
export interface ShortcutDropoutArgs {
  /** Probability of zeroing an element. */
  rate: number;
  /** Layer name. */
  name?: string;
}

/**
 * Dropout on the identity shortcut (He et al. 2016, Fig. 2(f)): at training each element is kept or
 * zeroed, with no 1/keep rescaling, which "statistically imposes a scale of λ with an expectation of
 * 0.5". At inference the shortcut is multiplied by that expectation, 1 − rate, so the test-time unit
 * sees the scale it was trained with (the paper leaves inference implicit; this is what its λ implies).
 */
export class ShortcutDropout extends tf.layers.Layer {
  static className = 'ShortcutDropout';
  readonly rate: number;

  constructor(args: ShortcutDropoutArgs) {
    super(args);
    this.rate = args.rate;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const keep = 1 - this.rate;
    return tf.tidy(() => {
      if (!kwargs?.training) return tf.mul(x, keep);
      // floor(u + keep) is 1 with probability keep: a Bernoulli mask, deliberately not divided by keep.
      const mask = tf.floor(tf.add(tf.randomUniform(x.shape), keep));
      return tf.mul(x, mask);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(ShortcutDropout);
