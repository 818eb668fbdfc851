// The wasm backend's binaries, served by the site itself under its base path: Vite copies each file into
// the build with a content hash and gives its URL. They are fetched only when wasm is chosen (the SIMD
// build; the threaded one only on a cross-origin isolated page; the plain one where SIMD is missing).
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The URL of each wasm binary, as `setWasmPaths` takes them. */
export const wasmPaths: Record<string, string> = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};
