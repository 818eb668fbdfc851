import * as tf from '@tensorflow/tfjs';

/** A TF.js backend the site can train on, best first. */
export type BackendName = 'webgpu' | 'webgl' | 'cpu';

/** The backend in use and, when it is not the first choice, why the better ones were skipped. */
export interface BackendChoice {
  name: BackendName;
  /** Why the preferred backends were not used (e.g. "webgpu: no adapter"), or null. */
  reason: string | null;
}

/** The part of TF.js that chooses backends; tests pass a fake. */
export interface BackendEngine {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  backend(): unknown;
  findBackendFactory(name: string): unknown;
  removeBackend(name: string): void;
  registerBackend(name: string, factory: never, priority?: number): boolean;
}

/** Options for {@link initBackend}. */
export interface BackendOptions {
  /** Backends to try, in order; default webgpu, webgl, cpu. */
  order?: readonly BackendName[];
  /** TF.js; default the real one. */
  engine?: BackendEngine;
  /** `navigator.gpu` or null; default the browser's. */
  gpu?: { requestAdapter(): Promise<unknown> } | null;
  /** Loads and registers the WebGPU backend; default a dynamic import of @tensorflow/tfjs-backend-webgpu. */
  loadWebGPU?: () => Promise<unknown>;
  /** Called once if the WebGPU device is lost, with the browser's message. */
  onDeviceLost?: (message: string) => void;
}

const defaultOrder: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];
let current: BackendChoice | null = null;
let deviceLost: string | null = null;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

type LosableDevice = { lost?: Promise<{ reason?: string; message?: string }> };
let watched: LosableDevice | null = null;

// TF.js 4.22 never watches `device.lost`; without this a lost GPU fails every later op with no explanation.
// A device counts as lost whatever the reason (a driver reset, or `destroy()`, which is how the browser
// tests simulate a loss), unless a newer device has replaced it since.
function watchDevice(engine: BackendEngine, onDeviceLost?: (message: string) => void) {
  const device = (engine.backend() as { device?: LosableDevice }).device ?? null;
  watched = device;
  device?.lost?.then((info) => {
    if (watched !== device) return;
    deviceLost =
      info.message || `the WebGPU device was ${info.reason === 'destroyed' ? 'destroyed' : 'lost'}`;
    onDeviceLost?.(deviceLost);
  });
}

async function tryWebGPU(options: BackendOptions, engine: BackendEngine): Promise<string | null> {
  const gpu =
    options.gpu !== undefined
      ? options.gpu
      : ((globalThis.navigator as { gpu?: BackendOptions['gpu'] })?.gpu ?? null);
  if (!gpu) return 'webgpu: not available in this browser';
  try {
    if (!(await gpu.requestAdapter())) return 'webgpu: no adapter (GPU disabled or blocklisted)';
    await (options.loadWebGPU ?? (() => import('@tensorflow/tfjs-backend-webgpu')))();
    if (deviceLost !== null && engine.findBackendFactory('webgpu')) {
      // A lost device cannot be reused: register the same factory again so setBackend makes a new one.
      const factory = engine.findBackendFactory('webgpu') as never;
      engine.removeBackend('webgpu');
      engine.registerBackend('webgpu', factory, 3);
      deviceLost = null;
    }
    return (await engine.setBackend('webgpu')) ? null : 'webgpu: failed to initialise';
  } catch (error) {
    return `webgpu: ${messageOf(error)}`;
  }
}

/**
 * Chooses the TF.js backend: WebGPU, else WebGL, else CPU, and says why it fell back. The choice is
 * kept; after a WebGPU device loss the next call initialises a fresh device.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendChoice> {
  const engine = options.engine ?? (tf as unknown as BackendEngine);
  if (current && deviceLost === null && engine.getBackend() === current.name) return current;
  const reasons: string[] = [];
  for (const name of options.order ?? defaultOrder) {
    let failure: string | null;
    if (name === 'webgpu') failure = await tryWebGPU(options, engine);
    else {
      try {
        failure = (await engine.setBackend(name)) ? null : `${name}: failed to initialise`;
      } catch (error) {
        failure = `${name}: ${messageOf(error)}`;
      }
    }
    if (failure === null) {
      if (name === 'webgpu') watchDevice(engine, options.onDeviceLost);
      else watched = null;
      current = { name, reason: reasons.length > 0 ? reasons.join('; ') : null };
      return current;
    }
    reasons.push(failure);
  }
  throw new Error(`no TensorFlow.js backend could start (${reasons.join('; ')})`);
}

/** Returns the message of a WebGPU device loss that has not been recovered from yet, or null. */
export function getDeviceLoss(): string | null {
  return deviceLost;
}
