import * as tf from '@tensorflow/tfjs';
import { registerBatchNormGradient } from './batchNormGradient.ts';
import { registerWasmTrainingKernels } from './wasmKernels.ts';

import {
  BACKEND_PREFERENCES,
  describeBackend,
  isBackendPreference,
  type BackendChoice,
  type BackendName,
  type BackendPreference,
} from './backendNames.ts';

export { BACKEND_PREFERENCES, describeBackend, isBackendPreference };
export type { BackendChoice, BackendName, BackendPreference };

/** The part of TF.js that chooses backends; tests pass a fake. */
export interface BackendEngine {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  backend(): unknown;
  findBackendFactory(name: string): unknown;
  removeBackend(name: string): void;
  registerBackend(name: string, factory: never, priority?: number): boolean;
}

/** The part of a WebGPU adapter the choice reads. */
export interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

/** Loads a backend's package (which registers it with TF.js); each is a dynamic import by default. */
export interface BackendLoaders {
  webgpu?: () => Promise<unknown>;
  wasm?: () => Promise<WasmModule>;
  webgl?: () => Promise<unknown>;
  cpu?: () => Promise<unknown>;
}

/** The part of @tensorflow/tfjs-backend-wasm the choice uses. */
export interface WasmModule {
  setWasmPaths(paths: string | Record<string, string>): void;
  /** XNNPACK's thread count, once the backend has started. */
  getThreadsCount(): number;
  /** Whether this engine runs wasm SIMD (the backend then loads its SIMD build). */
  hasSimd(): Promise<boolean>;
}

/** Options for {@link initBackend}. */
export interface BackendOptions {
  /** What to run on; default `auto`: WebGPU on a real GPU, else wasm, else WebGL, else CPU. */
  preference?: BackendPreference;
  /** TF.js; default the real one. */
  engine?: BackendEngine;
  /** `navigator.gpu` or null; default the browser's. */
  gpu?: { requestAdapter(): Promise<AdapterLike | null> } | null;
  /** How each backend's package is loaded; default dynamic imports of the TF.js packages. */
  loaders?: BackendLoaders;
  /**
   * Where the wasm binaries are served, as `setWasmPaths` takes them (a folder URL, or a URL per file).
   * Default: none, which works in Node (they are read from node_modules); a page passes its own URLs.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Called once if the WebGPU device is lost, with the browser's message. The last one given is told,
   * also by a call that found the backend already started (a page's Export button may start it first).
   */
  onDeviceLost?: (message: string) => void;
}

const autoOrder: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

const defaultLoaders: Required<BackendLoaders> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    return {
      setWasmPaths: (paths) => wasm.setWasmPaths(paths),
      getThreadsCount: () => wasm.getThreadsCount(),
      hasSimd: async () => (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
    };
  },
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

let current: BackendChoice | null = null;
let deviceLost: string | null = null;
let wasmPathsSet = false;
// Set when WebGPU was asked for on a software adapter: the badge then says it will be slow.
let softwareWebGPU: string | null = null;

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : ((error as { message?: string })?.message ?? String(error));

// Software rasterisers that expose a WebGPU adapter, by the name their adapter info carries.
const SOFTWARE_ADAPTERS: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render|\bwarp\b/i, 'WARP'],
];

/** Names a software WebGPU adapter (SwiftShader, llvmpipe, lavapipe, WARP…), or returns null for a real GPU. */
export function describeSoftwareAdapter(adapter: AdapterLike): string | null {
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const known = SOFTWARE_ADAPTERS.find(([pattern]) => pattern.test(text));
  if (known) return `the WebGPU adapter is a software fallback (${known[1]})`;
  if (adapter.isFallbackAdapter) return 'the WebGPU adapter is a software fallback';
  return null;
}

type LosableDevice = { lost?: Promise<{ reason?: string; message?: string }> };
let watched: LosableDevice | null = null;
let onLost: ((message: string) => void) | undefined;

// TF.js 4.22 never watches `device.lost`; without this a lost GPU fails every later op with no explanation.
// A device counts as lost whatever the reason (a driver reset, or `destroy()`, which is how the browser
// tests simulate a loss), unless a newer device has replaced it since.
function watchDevice(engine: BackendEngine) {
  const device = (engine.backend() as { device?: LosableDevice }).device ?? null;
  watched = device;
  device?.lost?.then((info) => {
    if (watched !== device) return;
    deviceLost =
      info.message || `the WebGPU device was ${info.reason === 'destroyed' ? 'destroyed' : 'lost'}`;
    onLost?.(deviceLost);
  });
}

function gpuOf(options: BackendOptions) {
  if (options.gpu !== undefined) return options.gpu;
  return (globalThis.navigator as { gpu?: BackendOptions['gpu'] } | undefined)?.gpu ?? null;
}

/** Asks for a WebGPU adapter; returns why WebGPU should not be used, or null to go ahead. */
async function checkWebGPU(options: BackendOptions, forced: boolean): Promise<string | null> {
  const gpu = gpuOf(options);
  if (!gpu) return 'webgpu: not available here (no navigator.gpu)';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'webgpu: no adapter (GPU disabled or blocklisted)';
    // A software adapter runs WebGPU on the CPU, far slower than wasm does; it is used only when asked for.
    const software = describeSoftwareAdapter(adapter);
    softwareWebGPU = forced ? software : null;
    return forced ? null : software;
  } catch (error) {
    return `webgpu: ${messageOf(error)}`;
  }
}

async function startWebGPU(options: BackendOptions, engine: BackendEngine): Promise<string | null> {
  await (options.loaders?.webgpu ?? defaultLoaders.webgpu)();
  if (deviceLost !== null && engine.findBackendFactory('webgpu')) {
    // A lost device cannot be reused: register the same factory again so setBackend makes a new one.
    const factory = engine.findBackendFactory('webgpu') as never;
    engine.removeBackend('webgpu');
    engine.registerBackend('webgpu', factory, 3);
    deviceLost = null;
  }
  return (await engine.setBackend('webgpu')) ? null : 'webgpu: failed to initialise';
}

async function startWasm(options: BackendOptions, engine: BackendEngine): Promise<WasmModule> {
  const wasm = await (options.loaders?.wasm ?? defaultLoaders.wasm)();
  // setWasmPaths must come before the backend first starts, and only once.
  if (options.wasmPaths !== undefined && !wasmPathsSet) {
    wasm.setWasmPaths(options.wasmPaths);
    wasmPathsSet = true;
  }
  registerWasmTrainingKernels();
  if (!(await engine.setBackend('wasm'))) throw new Error('failed to initialise');
  return wasm;
}

/** Tries one backend; returns the wasm details when it is wasm, or throws with why it could not start. */
async function start(
  name: BackendName,
  options: BackendOptions,
  engine: BackendEngine,
): Promise<BackendChoice['wasm'] | undefined> {
  if (name === 'webgpu') {
    const failure = await startWebGPU(options, engine);
    if (failure) throw new Error(failure.replace(/^webgpu: /, ''));
    return undefined;
  }
  if (name === 'wasm') {
    const wasm = await startWasm(options, engine);
    return { simd: await wasm.hasSimd(), threads: wasm.getThreadsCount() };
  }
  await (options.loaders?.[name] ?? defaultLoaders[name])();
  if (!(await engine.setBackend(name))) throw new Error('failed to initialise');
  return undefined;
}

// The start in progress, if any: the next call waits for it.
let starting: Promise<unknown> = Promise.resolve();

/**
 * Chooses and starts the TF.js backend and says why. `auto` takes WebGPU when the adapter is a real
 * GPU, wasm when there is none or it is a software one, WebGL when wasm cannot load, the CPU last. A
 * named backend is tried first and, if it cannot start, the rest of that order follows, with the reason.
 * The choice is kept: calling again with the same preference returns it, a different one switches, and
 * after a WebGPU device loss the next call starts a fresh device. Calls run one after another: TF.js
 * fails a backend's start when another `setBackend` overtakes it (a page's Export button and the
 * notebook's first run may both ask at once).
 */
export function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  const choice = starting.then(() => chooseBackend(options));
  starting = choice.catch(() => {});
  return choice;
}

async function chooseBackend(options: BackendOptions): Promise<BackendChoice> {
  const engine = options.engine ?? (tf as unknown as BackendEngine);
  const preference = options.preference ?? 'auto';
  if (!isBackendPreference(preference))
    throw new Error(
      `invalid backend: ${JSON.stringify(preference)} (expected one of ${BACKEND_PREFERENCES.join(', ')})`,
    );
  if (options.onDeviceLost) onLost = options.onDeviceLost;
  if (
    current &&
    current.preference === preference &&
    deviceLost === null &&
    engine.getBackend() === current.name
  )
    return current;
  const order =
    preference === 'auto' ? autoOrder : [preference, ...autoOrder.filter((n) => n !== preference)];
  const reasons: string[] = [];
  for (const name of order) {
    if (name === 'webgpu') {
      const unusable = await checkWebGPU(options, preference === 'webgpu');
      if (unusable) {
        reasons.push(unusable);
        continue;
      }
    }
    try {
      const wasm = await start(name, options, engine);
      registerBatchNormGradient();
      if (name === 'webgpu') watchDevice(engine);
      else watched = null;
      if (name === 'webgpu' && softwareWebGPU)
        reasons.push(`asked for, but ${softwareWebGPU}: expect it to be slow`);
      current = {
        name,
        preference,
        reason: reasons.length > 0 ? reasons.join('; ') : null,
        ...(wasm && { wasm }),
      };
      return current;
    } catch (error) {
      reasons.push(`${name}: ${messageOf(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${reasons.join('; ')})`);
}

/** Returns the message of a WebGPU device loss that has not been recovered from yet, or null. */
export function getDeviceLoss(): string | null {
  return deviceLost;
}
