import { describe, expect, test } from 'vitest';
import { initBackend, type BackendEngine } from '../../../src/lib/backend.ts';

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

describe('initBackend', () => {
  test('falls back from WebGPU to WebGL and says why', async () => {
    const engine = fakeEngine(['webgl', 'cpu']);
    const choice = await initBackend({ engine, gpu: null });
    expect(choice).toEqual({ name: 'webgl', reason: 'webgpu: not available in this browser' });
  });

  test('uses WebGPU when an adapter exists, else explains each failure down to the CPU', async () => {
    const engine = fakeEngine(['webgpu', 'cpu']);
    const loaded: string[] = [];
    const loadWebGPU = async () => void loaded.push('webgpu');
    expect(await initBackend({ engine, gpu: { requestAdapter: async () => ({}) }, loadWebGPU })).toEqual({
      name: 'webgpu',
      reason: null,
    });
    expect(loaded).toEqual(['webgpu']);
    const cpuOnly = fakeEngine(['cpu']);
    expect(await initBackend({ engine: cpuOnly, gpu: { requestAdapter: async () => null } })).toEqual({
      name: 'cpu',
      reason: 'webgpu: no adapter (GPU disabled or blocklisted); webgl: failed to initialise',
    });
  });
});
