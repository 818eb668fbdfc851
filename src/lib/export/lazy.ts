// The page's entry to the exporter: the exporter and its Python sources (~25 KB gzip) load with the
// first export, not with the library chunk that every page's first Run loads.
import type * as Package from './package.ts';

/** Exports a TF.js model as a PyTorch package ({@link Package.exportModel}), loading the exporter on first use. */
export async function exportModel(...args: Parameters<typeof Package.exportModel>) {
  return (await import('./package.ts')).exportModel(...args);
}

/** Exports an experiment as a PyTorch package ({@link Package.exportExperiment}), loading the exporter on first use. */
export async function exportExperiment(...args: Parameters<typeof Package.exportExperiment>) {
  return (await import('./package.ts')).exportExperiment(...args);
}
