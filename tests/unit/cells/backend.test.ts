import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import {
  describeBackend,
  describeSoftwareAdapter,
  initBackend,
  type AdapterLike,
  type BackendEngine,
  type BackendLoaders,
} from '../../../src/lib/backend.ts';

tf.env().set('PROD', true);

function fakeEngine(working: string[]): BackendEngine & { active: string } {
  const engine = {
    active: '',
    async setBackend(name: string) {
      if (!working.includes(name)) return false;
      engine.active = name;
      return true;
    },
    getBackend: () => engine.active,
    backend: () => ({}),
    findBackendFactory: () => null,
    removeBackend: () => {},
    registerBackend: () => true,
  };
  return engine;
}

/** Loaders that record which backend packages were fetched; wasm fails to load when `wasmFails`. */
function fakeLoaders(wasmFails = false): BackendLoaders & { loaded: string[] } {
  const loaded: string[] = [];
  return {
    loaded,
    webgpu: async () => void loaded.push('webgpu'),
    webgl: async () => void loaded.push('webgl'),
    cpu: async () => void loaded.push('cpu'),
    wasm: async () => {
      loaded.push('wasm');
      if (wasmFails) throw new Error('WebAssembly is disabled');
      return { setWasmPaths: () => {}, getThreadsCount: () => 1, hasSimd: async () => true };
    },
  };
}

const gpuWith = (adapter: AdapterLike | null) => ({ requestAdapter: async () => adapter });
const swiftShader: AdapterLike = {
  isFallbackAdapter: false,
  info: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' },
};
const realGpu: AdapterLike = {
  info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' },
};

describe('initBackend, auto', () => {
  test('takes WebGPU on a real GPU and loads no other backend', async () => {
    const loaders = fakeLoaders();
    const choice = await initBackend({
      engine: fakeEngine(['webgpu', 'wasm', 'cpu']),
      gpu: gpuWith(realGpu),
      loaders,
    });
    expect(choice).toEqual({ name: 'webgpu', preference: 'auto', reason: null });
    expect(loaders.loaded).toEqual(['webgpu']);
  });

  test('takes wasm when the adapter is software, without fetching the WebGPU backend', async () => {
    const loaders = fakeLoaders();
    const choice = await initBackend({
      engine: fakeEngine(['webgpu', 'wasm']),
      gpu: gpuWith(swiftShader),
      loaders,
    });
    expect(choice).toEqual({
      name: 'wasm',
      preference: 'auto',
      reason: 'the WebGPU adapter is a software fallback (SwiftShader)',
      wasm: { simd: true, threads: 1 },
    });
    expect(loaders.loaded).toEqual(['wasm']);
    expect(describeBackend(choice)).toBe(
      'wasm (SIMD, 1 thread): the WebGPU adapter is a software fallback (SwiftShader)',
    );
  });

  test('takes wasm when there is no WebGPU at all, or no adapter', async () => {
    const none = await initBackend({ engine: fakeEngine(['wasm']), gpu: null, loaders: fakeLoaders() });
    expect(none.name).toBe('wasm');
    expect(none.reason).toBe('webgpu: not available here (no navigator.gpu)');
    const noAdapter = await initBackend({
      engine: fakeEngine(['wasm']),
      gpu: gpuWith(null),
      loaders: fakeLoaders(),
    });
    expect(noAdapter.reason).toBe('webgpu: no adapter (GPU disabled or blocklisted)');
  });

  test('falls back to WebGL when wasm cannot load, then to the CPU, saying why at each step', async () => {
    const loaders = fakeLoaders(true);
    const webgl = await initBackend({ engine: fakeEngine(['webgl', 'cpu']), gpu: null, loaders });
    expect(webgl).toEqual({
      name: 'webgl',
      preference: 'auto',
      reason: 'webgpu: not available here (no navigator.gpu); wasm: WebAssembly is disabled',
    });
    const cpu = await initBackend({
      engine: fakeEngine(['cpu']),
      gpu: gpuWith(swiftShader),
      loaders: fakeLoaders(true),
    });
    expect(cpu.reason).toBe(
      'the WebGPU adapter is a software fallback (SwiftShader); wasm: WebAssembly is disabled; webgl: failed to initialise',
    );
  });

  test('reports when no backend at all can start', async () => {
    await expect(
      initBackend({ engine: fakeEngine([]), gpu: null, loaders: fakeLoaders(true) }),
    ).rejects.toThrow(
      /^no TensorFlow.js backend could start \(webgpu: .*; wasm: .*; webgl: failed to initialise; cpu: failed to initialise\)$/,
    );
  });
});

describe('initBackend, a backend asked for by name', () => {
  test('WebGPU runs on a software adapter when asked for (the browser tests keep it exercised)', async () => {
    const choice = await initBackend({
      preference: 'webgpu',
      engine: fakeEngine(['webgpu', 'wasm']),
      gpu: gpuWith(swiftShader),
      loaders: fakeLoaders(),
    });
    expect(choice.name).toBe('webgpu');
    expect(describeBackend(choice)).toBe(
      'webgpu: asked for, but the WebGPU adapter is a software fallback (SwiftShader): expect it to be slow',
    );
    const real = await initBackend({
      preference: 'webgpu',
      engine: fakeEngine(['webgpu']),
      gpu: gpuWith(realGpu),
      loaders: fakeLoaders(),
    });
    expect(real).toEqual({ name: 'webgpu', preference: 'webgpu', reason: null });
    expect(describeBackend(real)).toBe('webgpu (chosen)');
  });

  test('the CPU loads nothing else; an unavailable choice falls back in the auto order', async () => {
    const loaders = fakeLoaders();
    expect(
      await initBackend({ preference: 'cpu', engine: fakeEngine(['cpu', 'wasm']), gpu: null, loaders }),
    ).toEqual({ name: 'cpu', preference: 'cpu', reason: null });
    expect(loaders.loaded).toEqual(['cpu']);
    const fallback = await initBackend({
      preference: 'webgl',
      engine: fakeEngine(['wasm']),
      gpu: null,
      loaders,
    });
    expect(fallback.name).toBe('wasm');
    expect(fallback.reason).toBe(
      'webgl: failed to initialise; webgpu: not available here (no navigator.gpu)',
    );
  });

  test('an unknown name is refused with the allowed ones', async () => {
    await expect(initBackend({ preference: 'tpu' as never, engine: fakeEngine(['cpu']) })).rejects.toThrow(
      'invalid backend: "tpu" (expected one of auto, webgpu, webgl, wasm, cpu)',
    );
  });

  test('the same preference keeps the running backend; another one switches', async () => {
    const engine = fakeEngine(['wasm', 'cpu']);
    const loaders = fakeLoaders();
    const first = await initBackend({ preference: 'wasm', engine, gpu: null, loaders });
    expect(await initBackend({ preference: 'wasm', engine, gpu: null, loaders })).toBe(first);
    expect(loaders.loaded).toEqual(['wasm']);
    expect((await initBackend({ preference: 'cpu', engine, gpu: null, loaders })).name).toBe('cpu');
    expect(engine.active).toBe('cpu');
  });
});

describe('initBackend, called twice at once', () => {
  test('the second waits for the first and finds its choice, so one start is never overtaken', async () => {
    const loaders = fakeLoaders();
    const engine = fakeEngine(['wasm']);
    let starting = 0;
    const setBackend = engine.setBackend;
    engine.setBackend = async (name) => {
      if (++starting > 1) throw new Error('two setBackend calls overlap');
      await new Promise((resolve) => setTimeout(resolve, 10));
      starting--;
      return setBackend(name);
    };
    const options = { preference: 'wasm' as const, engine, gpu: null, loaders };
    const [a, b] = await Promise.all([initBackend(options), initBackend(options)]);
    expect(b).toBe(a);
    expect(loaders.loaded).toEqual(['wasm']);
  });

  test('a failed call does not block the next', async () => {
    await expect(initBackend({ preference: 'nope' as never })).rejects.toThrow(/^invalid backend: "nope"/);
    expect(
      (
        await initBackend({
          preference: 'cpu',
          engine: fakeEngine(['cpu']),
          gpu: null,
          loaders: fakeLoaders(),
        })
      ).name,
    ).toBe('cpu');
  });
});

describe('initBackend, a lost WebGPU device', () => {
  test('is told to the last onDeviceLost given, also by a call that found the backend started', async () => {
    let lose: (info: { reason: string; message: string }) => void = () => {};
    const device = { lost: new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve)) };
    const engine = { ...fakeEngine(['webgpu']), backend: () => ({ device }) };
    // A page's Export button starts the backend first, with no handler; the notebook's first run then
    // finds it started and gives its own.
    const options = { preference: 'webgpu' as const, engine, gpu: gpuWith(realGpu), loaders: fakeLoaders() };
    const first = await initBackend(options);
    const told: string[] = [];
    expect(await initBackend({ ...options, onDeviceLost: (message) => told.push(message) })).toBe(first);
    lose({ reason: 'unknown', message: 'the driver reset' });
    await device.lost;
    expect(told).toEqual(['the driver reset']);
  });
});

describe('describeSoftwareAdapter', () => {
  test.each([
    [swiftShader, 'the WebGPU adapter is a software fallback (SwiftShader)'],
    [
      { info: { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } },
      'the WebGPU adapter is a software fallback (llvmpipe)',
    ],
    [
      { info: { description: 'Microsoft Basic Render Driver' } },
      'the WebGPU adapter is a software fallback (WARP)',
    ],
    [{ isFallbackAdapter: true, info: {} }, 'the WebGPU adapter is a software fallback'],
    [realGpu, null],
    [{ info: { vendor: 'apple', architecture: 'metal-3' } }, null],
  ] as [AdapterLike, string | null][])('%j → %s', (adapter, expected) => {
    expect(describeSoftwareAdapter(adapter)).toBe(expected);
  });
});

describe('initBackend in Node', () => {
  test('auto starts the real wasm backend (SIMD), which then trains a convolution', async () => {
    const choice = await initBackend();
    expect(choice.name).toBe('wasm');
    expect(choice.wasm?.simd).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    const x = tf.ones([1, 4, 4, 1]);
    const grad = tf.grad((f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid').sum())(
      tf.ones([3, 3, 1, 1]),
    );
    expect(Array.from(grad.dataSync())).toEqual(new Array(9).fill(4));
  });
});
