import * as tf from '@tensorflow/tfjs';
import type { Prelude } from '../../../src/cells/prelude.ts';

/**
 * The prelude cells get in the Node tests: TF.js (CPU backend) as `tf`, no library and no Plot. `extra`
 * adds what a test needs (a backend, device-loss state).
 */
export function cpuPrelude<E extends object>(extra: E = {} as E): Prelude & E {
  return Object.assign(
    {
      tf,
      loadPlot: () => Promise.reject(new Error('no Plot in these tests')),
      lib: {},
      values: new Map<string, unknown>([['tf', tf]]),
      lazyValues: new Map(),
    },
    extra,
  ) as unknown as Prelude & E;
}
