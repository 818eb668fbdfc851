import type * as tf from '@tensorflow/tfjs';
import { ACTIVATION_VARIANTS } from './activationVariants.ts';
import { buildCifarResNet, buildPreactCifarResNet } from './cifar.ts';
import {
  formatValue,
  inputShapeSchema,
  parseOptions,
  positiveInt,
  seedSchema,
  widthSchema,
} from './options.ts';
import { buildD2lResNet18, buildResNet } from './resnet.ts';
import { buildResNetV2 } from './resnetV2.ts';
import { STRIDE_PLACEMENTS } from './residualUnit.ts';
import { DOWNSAMPLE_SHORTCUTS, SHORTCUT_VARIANTS } from './shortcuts.ts';
import { buildD2lVgg11, buildVgg } from './vgg.ts';

/** Options every registered model accepts. */
export interface BuildModelOptions {
  /** Input [height, width, channels]. Default: the model's own (e.g. [224, 224, 3]). */
  inputShape?: [number, number, number];
  /** Output classes. Default: the model's own (1000 for ImageNet, 10 for CIFAR and d2l). */
  classes?: number;
  /** Channel multiplier. Default 1. */
  width?: number;
  /** Initialiser seed. Default 0. */
  seed?: number;
  /** Named variants, e.g. `{ stridePlacement: 'paper' }` or `{ shortcut: 'exclusiveGating' }`. */
  variants?: Record<string, string>;
}

/** A registered model: its name, what it is, its defaults and the variants it accepts. */
export interface ModelEntry {
  /** Registry name, e.g. `resnet50`. */
  name: string;
  /** One line on what the model is. */
  description: string;
  /** Default input [height, width, channels]. */
  inputShape: [number, number, number];
  /** Default number of classes. */
  classes: number;
  /** Variant keys and their allowed values. */
  variants: Record<string, readonly string[]>;
}

interface Resolved {
  inputShape: [number, number, number];
  classes: number;
  width: number;
  seed: number;
  variants: Record<string, string>;
}

interface RegistryRecord extends ModelEntry {
  build(o: Resolved): tf.LayersModel;
}

const IMAGENET: [number, number, number] = [224, 224, 3];
const CIFAR: [number, number, number] = [32, 32, 3];
const FASHION: [number, number, number] = [224, 224, 1];
const CIFAR_VARIANTS = {
  shortcut: SHORTCUT_VARIANTS,
  activation: ACTIVATION_VARIANTS,
  downsample: DOWNSAMPLE_SHORTCUTS,
} as const;

function common(o: Resolved) {
  return { inputShape: o.inputShape, classes: o.classes, width: o.width, seed: o.seed };
}

const records: RegistryRecord[] = [
  ...([11, 13, 16, 19] as const).map((depth) => ({
    name: `vgg${depth}`,
    description: `VGG-${depth} (configuration ${({ 11: 'A', 13: 'B', 16: 'D', 19: 'E' } as const)[depth]}, Simonyan & Zisserman 2014)`,
    inputShape: IMAGENET,
    classes: 1000,
    variants: {},
    build: (o: Resolved) => buildVgg({ ...common(o), depth }),
  })),
  {
    name: 'd2l-vgg11',
    description: 'VGG-11 of the d2l seed article (1×224×224, 10 classes)',
    inputShape: FASHION,
    classes: 10,
    variants: {},
    build: (o) => buildD2lVgg11(common(o)),
  },
  {
    name: 'd2l-vgg11-small',
    description: "narrow d2l VGG-11 (conv channels ÷ 4, the seed's small_conv_arch)",
    inputShape: FASHION,
    classes: 10,
    variants: {},
    build: (o) => buildD2lVgg11({ ...common(o), width: o.width / 4 }),
  },
  ...([18, 34, 50, 101, 152] as const).map((depth) => ({
    name: `resnet${depth}`,
    description: `ResNet-${depth} (He et al. 2015, torchvision layout)`,
    inputShape: IMAGENET,
    classes: 1000,
    variants: { stridePlacement: STRIDE_PLACEMENTS },
    build: (o: Resolved) =>
      buildResNet({
        ...common(o),
        depth,
        stridePlacement: o.variants.stridePlacement as 'paper' | 'torchvision' | undefined,
      }),
  })),
  {
    name: 'd2l-resnet18',
    description: 'ResNet-18 of the d2l seed article (conv biases, 1×224×224, 10 classes)',
    inputShape: FASHION,
    classes: 10,
    variants: {},
    build: (o) => buildD2lResNet18(common(o)),
  },
  ...([20, 32, 44, 56, 110] as const).flatMap((depth) => [
    {
      name: `cifar-resnet${depth}`,
      description: `CIFAR ResNet-${depth} (6n+2, option A shortcuts, He et al. 2015 §4.2)`,
      inputShape: CIFAR,
      classes: 10,
      variants: CIFAR_VARIANTS,
      build: (o: Resolved) => buildCifarResNet({ ...common(o), depth, ...cifarVariants(o) }),
    },
    {
      name: `cifar-plain${depth}`,
      description: `plain-${depth} on CIFAR (no shortcuts, degradation experiment)`,
      inputShape: CIFAR,
      classes: 10,
      variants: { activation: ACTIVATION_VARIANTS },
      build: (o: Resolved) => buildCifarResNet({ ...common(o), depth, plain: true, ...cifarVariants(o) }),
    },
  ]),
  ...([110, 164, 1001] as const).map((depth) => ({
    name: `preact-resnet${depth}`,
    description: `pre-activation ResNet-${depth} on CIFAR (He et al. 2016, ${depth === 110 ? 'basic' : 'bottleneck'} units)`,
    inputShape: CIFAR,
    classes: 10,
    variants: { shortcut: SHORTCUT_VARIANTS, downsample: DOWNSAMPLE_SHORTCUTS },
    build: (o: Resolved) => buildPreactCifarResNet({ ...common(o), depth, ...cifarVariants(o) }),
  })),
  ...([50, 101, 152] as const).map((depth) => ({
    name: `resnet${depth}v2`,
    description: `ResNet${depth}V2 (pre-activation, Keras applications layout)`,
    inputShape: IMAGENET,
    classes: 1000,
    variants: {},
    build: (o: Resolved) => buildResNetV2({ ...common(o), depth }),
  })),
];

function cifarVariants(o: Resolved) {
  const v = o.variants;
  return {
    ...(v.shortcut ? { shortcut: v.shortcut as (typeof SHORTCUT_VARIANTS)[number] } : {}),
    ...(v.activation ? { activation: v.activation as (typeof ACTIVATION_VARIANTS)[number] } : {}),
    ...(v.downsample ? { downsample: v.downsample as (typeof DOWNSAMPLE_SHORTCUTS)[number] } : {}),
  };
}

/** Names of every registered model, in listing order. */
export const MODEL_NAMES: readonly string[] = records.map((r) => r.name);

/** Lists the registered models with their defaults and variants. */
export function listModels(): ModelEntry[] {
  return records.map(({ build: _build, ...entry }) => entry);
}

/** Returns one registered model's entry, or throws `invalid model: …` listing the allowed names. */
export function getModelEntry(name: string): ModelEntry {
  const record = findRecord(name);
  const { build: _build, ...entry } = record;
  return entry;
}

/** Builds a registered model by name, e.g. `buildModel('resnet50', { variants: { stridePlacement: 'paper' } })`. */
export function buildModel(name: string, options: BuildModelOptions = {}): tf.LayersModel {
  const record = findRecord(name);
  const variants = options.variants ?? {};
  for (const [key, value] of Object.entries(variants)) {
    const allowed = record.variants[key];
    if (!allowed) {
      const keys = Object.keys(record.variants);
      throw new Error(
        `invalid variant: ${formatValue(key)} (expected ${keys.length ? `one of ${keys.join(', ')}` : `none: ${name} has no variants`})`,
      );
    }
    if (!allowed.includes(value)) {
      throw new Error(`invalid ${key}: ${formatValue(value)} (expected one of ${allowed.join(', ')})`);
    }
  }
  return record.build({
    inputShape: parseOptions(inputShapeSchema, options.inputShape ?? record.inputShape, 'inputShape'),
    classes: parseOptions(positiveInt, options.classes ?? record.classes, 'classes'),
    width: parseOptions(widthSchema, options.width ?? 1, 'width'),
    seed: parseOptions(seedSchema, options.seed ?? 0, 'seed'),
    variants,
  });
}

/**
 * Parses variant arguments: `key=value` pairs (comma-separated or repeated) or bare values that belong
 * to exactly one of the model's variant keys (`paper` → `stridePlacement=paper`).
 */
export function parseVariants(name: string, args: readonly string[]): Record<string, string> {
  const record = findRecord(name);
  const result: Record<string, string> = {};
  for (const part of args.flatMap((a) => a.split(',')).filter((p) => p.trim() !== '')) {
    const [key, value] = part.includes('=') ? part.split('=', 2).map((s) => s.trim()) : ['', part.trim()];
    if (key) {
      result[key] = value;
      continue;
    }
    const keys = Object.entries(record.variants).filter(([, values]) => values.includes(value));
    if (keys.length !== 1) {
      const all = Object.entries(record.variants).map(([k, values]) => `${k}=${values.join('|')}`);
      throw new Error(
        `invalid variant: ${formatValue(value)} (expected ${all.length ? all.join('; ') : `none: ${name} has no variants`})`,
      );
    }
    result[keys[0][0]] = value;
  }
  return result;
}

function findRecord(name: string): RegistryRecord {
  const record = records.find((r) => r.name === name);
  if (!record)
    throw new Error(`invalid model: ${formatValue(name)} (expected one of ${MODEL_NAMES.join(', ')})`);
  return record;
}
