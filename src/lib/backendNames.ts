// The backend names and how a choice reads, with no TF.js import, so the page's first script and the
// runtime can use them before TF.js loads.

/** A TF.js backend the site can train on. */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** What the reader (or a script) asks for: a backend by name, or `auto` to let the device decide. */
export type BackendPreference = 'auto' | BackendName;

/** Every preference, in the order the page's selector lists them. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Whether a string names a backend preference. */
export function isBackendPreference(value: unknown): value is BackendPreference {
  return (BACKEND_PREFERENCES as readonly unknown[]).includes(value);
}

/** The backend in use and why it was chosen. */
export interface BackendChoice {
  name: BackendName;
  /** What was asked for. */
  preference: BackendPreference;
  /**
   * Why this backend and not a better one, e.g. "the WebGPU adapter is a software fallback
   * (SwiftShader)" or "webgpu: no adapter"; null when the first choice ran.
   */
  reason: string | null;
  /** wasm only: the build in use (SIMD or not) and XNNPACK's thread count. */
  wasm?: { simd: boolean; threads: number };
}

/** Says in one line which backend runs and why, as the page's badge shows it. */
export function describeBackend(choice: BackendChoice): string {
  const details = choice.wasm
    ? ` (${choice.wasm.simd ? 'SIMD' : 'no SIMD'}, ${choice.wasm.threads} thread${choice.wasm.threads === 1 ? '' : 's'})`
    : '';
  const why = choice.reason ? `: ${choice.reason}` : choice.preference === 'auto' ? '' : ' (chosen)';
  return `${choice.name}${details}${why}`;
}
