// What the page's "Export to PyTorch" buttons make: a model (with its current weights) or an
// experiment as the library's PyTorch package, zipped under `<name>-pytorch/`, with where it came
// from. DOM-free: the library is passed in, so this runs in Node against the real one.
import type * as TF from '@tensorflow/tfjs';
import type * as Library from '../lib/index.ts';
import type { LibraryVersion } from '../lib/index.ts';

/** The parts of the library an export uses. */
export type ExportLibrary = Pick<
  typeof Library,
  'exportExperiment' | 'exportModel' | 'getExperiment' | 'zipFiles'
>;

/** A zip ready to download. */
export interface ExportedZip {
  filename: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Where an export comes from, for the header of model.py and experiment.json's `library`. */
export interface ExportProvenance {
  /** e.g. `exported from the page https://…/lessons/02-residual-blocks/, cell resnet18`. */
  source: string;
  library: LibraryVersion;
}

// Replaced at build time (astro.config.mjs, a Vite `define`) by the package version and the git commit
// the site was built from; absent where no build ran (unit tests).
declare const __RESLAB_LIBRARY__: LibraryVersion | undefined;

/** The library this page was built from, as the build read it; every field "unknown" without one. */
export const BUILD_LIBRARY: LibraryVersion =
  typeof __RESLAB_LIBRARY__ === 'object' && __RESLAB_LIBRARY__ !== null
    ? __RESLAB_LIBRARY__
    : { version: 'unknown', commit: 'unknown', dirty: true };

/** Names an export's folder (and, with `.zip`, its file): `d2l-resnet18` → `d2l-resnet18-pytorch`. */
export function packageFolder(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return `${safe || 'model'}-pytorch`;
}

/** Describes the page (without its query and fragment) and cell an export was made on. */
export function describeSource(url: string, cell?: string): string {
  const page = new URL(url);
  return `exported from the page ${page.origin}${page.pathname}${cell ? `, cell ${cell}` : ''}`;
}

/** Says how large a download is: "940 B", "38.2 KB", "42.7 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Exports a model with its current weights (a model the reader trained goes with its training), zipped. */
export async function zipModel(
  lib: ExportLibrary,
  model: TF.LayersModel,
  provenance: ExportProvenance,
): Promise<ExportedZip> {
  const files = await lib.exportModel(model, { weights: true, ...provenance });
  const folder = packageFolder(model.name);
  return { filename: `${folder}.zip`, bytes: lib.zipFiles(files, folder) };
}

/** Exports an experiment (its networks, recipe and train.py at the reference budget), zipped. */
export async function zipExperiment(
  lib: ExportLibrary,
  name: string,
  provenance: ExportProvenance,
): Promise<ExportedZip> {
  const files = await lib.exportExperiment(lib.getExperiment(name), provenance);
  const folder = packageFolder(name);
  return { filename: `${folder}.zip`, bytes: lib.zipFiles(files, folder) };
}
