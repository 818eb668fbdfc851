import * as tf from '@tensorflow/tfjs';

/** The initialiser type TF.js layers accept. */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

// tfjs-layers exports initializer factories but not their abstract base class; every built-in
// initializer extends it directly, so the base is the prototype of any built-in one's constructor.
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as new () => Initializer;

/** Fan used by Kaiming initialisation: `fanOut` is torchvision's choice, `fanIn` the paper's forward case. */
export type KaimingMode = 'fanIn' | 'fanOut';

/**
 * Kaiming (He et al. 2015, "Delving deep into rectifiers") normal initialiser: an untruncated normal
 * with standard deviation √(2 / fan), as PyTorch's `kaiming_normal_(nonlinearity='relu')`.
 */
export class KaimingNormal extends InitializerBase {
  static className = 'KaimingNormal';
  readonly mode: KaimingMode;
  readonly seed: number;

  constructor(config: { mode?: KaimingMode; seed?: number } = {}) {
    super();
    this.mode = config.mode ?? 'fanOut';
    this.seed = config.seed ?? 0;
  }

  apply(shape: number[]): tf.Tensor {
    // Conv kernels are [kh, kw, in, out]; dense kernels are [in, out].
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fan = receptive * shape[this.mode === 'fanIn' ? shape.length - 2 : shape.length - 1];
    return tf.randomNormal(shape, 0, Math.sqrt(2 / Math.max(1, fan)), 'float32', this.seed);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { mode: this.mode, seed: this.seed };
  }
}
tf.serialization.registerClass(
  KaimingNormal as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);

/** Options of a seeded stream of initialisers. */
export interface WeightInitOptions {
  /** Seed of the whole model: same seed, same weights. Default 0. */
  seed?: number;
  /** Fan for conv kernels. Default `'fanOut'` (torchvision's ResNet and VGG). */
  convMode?: KaimingMode;
}

/** A seeded stream of initialisers: each call hands out an initialiser with the next derived seed. */
export interface WeightInit {
  /** Kaiming-normal initialiser for a conv kernel. */
  conv(): Initializer;
  /** PyTorch's default `nn.Linear` initialiser, uniform in ±1/√fan_in, for a dense kernel. */
  dense(): Initializer;
}

/** Creates a seeded stream of initialisers, so two builds with the same seed get identical weights. */
export function createWeightInit(options: WeightInitOptions = {}): WeightInit {
  const seed = options.seed ?? 0;
  const convMode = options.convMode ?? 'fanOut';
  let counter = 0;
  const nextSeed = () => deriveSeed(seed, counter++);
  return {
    conv: () => new KaimingNormal({ mode: convMode, seed: nextSeed() }),
    dense: () =>
      tf.initializers.varianceScaling({
        scale: 1 / 3,
        mode: 'fanIn',
        distribution: 'uniform',
        seed: nextSeed(),
      }),
  };
}

/** Derives the seed of the n-th initialiser from the model seed (a 32-bit integer hash, splitmix style). */
export function deriveSeed(seed: number, index: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 1;
}
