// The PyTorch export: a TF.js model or an experiment as a small Python package (see ../../README.md).
export { describeArchitecture, EXPORTABLE_LAYERS, pythonPath } from './architecture.ts';
export type { Architecture, ArchitectureNode, FeatureShape } from './architecture.ts';
export { exportExperiment, exportModel } from './package.ts';
export type { ExportedFile, ExportExperimentOptions, ExportModelOptions, LibraryVersion } from './package.ts';
export { decodeSafetensors, encodeSafetensors, exportStateDict } from './weights.ts';
export type { StateTensor } from './weights.ts';
export { crc32, zipFiles } from './zip.ts';
